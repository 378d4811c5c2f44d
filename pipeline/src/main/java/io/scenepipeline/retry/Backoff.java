package io.scenepipeline.retry;

import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

/**
 * One retry component's redelivery settings ({@code retry.<component>.*}), and the wait before each redelivery as
 * Camel's own {@link RedeliveryPolicy} computes it with {@code useExponentialBackOff}: the first wait is
 * {@code redeliveryDelay}, each further wait the last one times {@code backOffMultiplier}, jittered by
 * ±{@code collisionAvoidanceFactor} when set, never more than {@code maximumRedeliveryDelay}. The route configurations
 * are built from this same record ({@code config.RetryConfigurations}), so the policy is said once.
 */
public record Backoff(int maximumRedeliveries, long redeliveryDelay, double backOffMultiplier,
                      long maximumRedeliveryDelay, double collisionAvoidanceFactor) {

    /** The policy Camel redelivers with. */
    public RedeliveryPolicy policy() {
        RedeliveryPolicy p = new RedeliveryPolicy().maximumRedeliveries(maximumRedeliveries).redeliveryDelay(redeliveryDelay)
                .useExponentialBackOff().backOffMultiplier(backOffMultiplier).maximumRedeliveryDelay(maximumRedeliveryDelay);
        if (collisionAvoidanceFactor > 0) {
            p.useCollisionAvoidance();
            p.setCollisionAvoidanceFactor(collisionAvoidanceFactor);
        }
        return p;
    }

    /** @param redelivery 1 for the first retry */
    public long delayBefore(int redelivery) {
        RedeliveryPolicy p = policy();
        long delay = 0;
        for (int i = 1; i <= redelivery; i++) {
            delay = p.calculateRedeliveryDelay(delay, i);
        }
        return delay;
    }

    public int maximumAttempts() {
        return maximumRedeliveries + 1;
    }
}
