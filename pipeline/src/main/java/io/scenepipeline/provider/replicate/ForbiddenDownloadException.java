package io.scenepipeline.provider.replicate;

/** An output URL the pipeline will not fetch (see {@link DownloadPolicy}): permanent, never retried. */
public class ForbiddenDownloadException extends RuntimeException {

    public ForbiddenDownloadException(String message) {
        super(message);
    }
}
