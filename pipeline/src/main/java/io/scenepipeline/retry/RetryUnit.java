package io.scenepipeline.retry;

import io.scenepipeline.run.Steps;
import org.apache.camel.Exchange;

/**
 * One retry unit's attempts as they go (a call the routes repeat on their own: a prediction, a download, a face_rig
 * call, a narration), kept by the chain's {@link io.scenepipeline.run.StepCall}: how many of its redeliveries a
 * provider's "slow down" asked for (they are not attempts) and since when, whether a redelivery was granted (the next
 * entry into the unit is that redelivery, not a new unit), and what was decided about its last failure (asked for
 * twice: by the failure handler that logs it and by the {@code retryWhile} that acts on it).
 */
final class RetryUnit {

    /** The unit's call when it is not the step's own (its output's {@code download}), for the log line; else null. */
    String call;
    /** Redeliveries that were throttled, and since when (epoch ms; null: not throttled). */
    int throttled;
    Long throttledSince;
    /** A redelivery was granted: the unit is entered again for it. */
    boolean redelivering;
    /** The decision about the failure {@link #decidedFor} at redelivery count {@link #decidedAt}. */
    RetryDecision decided;
    Throwable decidedFor;
    int decidedAt;

    static RetryUnit of(Exchange exchange) {
        return Steps.call(exchange).part(RetryUnit.class, RetryUnit::new);
    }

    /** A new unit: nothing throttled, nothing decided. */
    void fresh() {
        throttled = 0;
        throttledSince = null;
        redelivering = false;
        decided = null;
        decidedFor = null;
    }
}
