package io.scenepipeline.retry;

/**
 * What becomes of one failed call ({@link RetryDecider}): waited out as a provider's "slow down", retried after a
 * wait, or not retried (attempts or the retry budget spent, a permanent failure, or the step handed to another node).
 *
 * @param attempt the attempt that failed (1 for the first; throttled redeliveries are not attempts)
 * @param waitMs  before the redelivery (throttled, retried), else 0
 * @param refused why the retry budget refused the retry (exhausted only), else null
 */
public record RetryDecision(Verdict verdict, int attempt, long waitMs, String refused) {

    public enum Verdict {
        /** A provider's "slow down" (or a full disk): waited out, no attempt spent. */
        THROTTLED,
        /** A transient failure with attempts and budget left: redelivered after the backoff. */
        RETRY,
        /** A transient failure with no attempt left, or whose retry the budget refused. */
        EXHAUSTED,
        /** A failure that repeating cannot mend. */
        PERMANENT,
        /** Cluster mode: another node took the step over; the plan says so, nothing to retry. */
        HANDED_ON
    }

    /** Camel redelivers the call. */
    public boolean redelivers() {
        return verdict == Verdict.THROTTLED || verdict == Verdict.RETRY;
    }
}
