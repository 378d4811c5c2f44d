package io.scenepipeline.provider;

import java.io.IOException;

/** A provider answer larger than the pipeline reads for that call: the call is cut off. Not retried. */
public class ResponseTooLargeException extends IOException {

    public ResponseTooLargeException(String message) {
        super(message);
    }
}
