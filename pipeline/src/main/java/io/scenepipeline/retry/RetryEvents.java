package io.scenepipeline.retry;

/** What the retry handling tells the world about failed calls (the metrics listen). */
public interface RetryEvents {

    /** A call that failed and is not retried: a permanent error. */
    String FAILED_PERMANENT = "failed_permanent";
    /** A call whose every attempt failed. */
    String FAILED_EXHAUSTED = "failed_exhausted";
    /** A call not made, or given up, because the operator canceled its plan. */
    String CANCELED = "canceled";

    /** A call ended with {@code outcome}. */
    void call(String provider, String step, String outcome);

    /** A call was throttled (429, slow down): it waits and is tried again, no attempt spent. */
    void throttled(String provider, String step);

    /** A call failed and will be retried. */
    void retry(String provider, String step, Throwable failure);
}
