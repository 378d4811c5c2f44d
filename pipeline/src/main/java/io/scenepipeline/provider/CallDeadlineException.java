package io.scenepipeline.provider;

import java.net.SocketTimeoutException;

/**
 * A provider call that had no whole answer within its deadline, counted from the moment the request went out,
 * however the server behaved (silent, or trickling a byte at a time). Transient: retried as a read timeout is.
 */
public class CallDeadlineException extends SocketTimeoutException {

    public CallDeadlineException(String message) {
        super(message);
    }
}
