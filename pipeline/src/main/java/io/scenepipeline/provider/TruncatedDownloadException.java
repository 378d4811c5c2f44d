package io.scenepipeline.provider;

import java.io.IOException;

/** A download ended before the length the server announced: retryable (only the download is repeated). */
public class TruncatedDownloadException extends IOException {

    public TruncatedDownloadException(String message) {
        super(message);
    }
}
