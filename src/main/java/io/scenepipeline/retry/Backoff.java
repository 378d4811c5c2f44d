package io.scenepipeline.retry;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before each redelivery, computed exactly as Camel's {@code RedeliveryPolicy} does with
 * {@code useExponentialBackOff: true}: the first wait is {@code redeliveryDelay}, each further wait is the last
 * one times {@code backOffMultiplier}, optionally jittered by ±{@code collisionAvoidanceFactor}, and never more
 * than {@code maximumRedeliveryDelay}.
 */
public record Backoff(int maximumRedeliveries, long redeliveryDelay, double backOffMultiplier,
                      long maximumRedeliveryDelay, double collisionAvoidanceFactor) {

    /** @param redelivery 1 for the first retry */
    public long delayBefore(int redelivery) {
        double delay = redeliveryDelay;
        for (int i = 1; i < redelivery; i++) {
            delay = Math.round(delay * backOffMultiplier);
        }
        if (collisionAvoidanceFactor > 0) {
            double variance = ThreadLocalRandom.current().nextDouble(-collisionAvoidanceFactor, collisionAvoidanceFactor);
            delay += delay * variance;
        }
        long millis = Math.round(delay);
        return maximumRedeliveryDelay > 0 ? Math.min(millis, maximumRedeliveryDelay) : millis;
    }

    public int maximumAttempts() {
        return maximumRedeliveries + 1;
    }
}
