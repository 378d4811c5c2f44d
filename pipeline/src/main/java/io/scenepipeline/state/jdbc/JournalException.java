package io.scenepipeline.state.jdbc;

/** The journal's database failed a piece of work: the step fails with it, before any paid call it would have made. */
public final class JournalException extends RuntimeException {
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
