package io.scenepipeline.provider.replicate;

import io.scenepipeline.support.SettingsException;
import io.scenepipeline.support.SettingsReader;

import java.time.Duration;

/**
 * Replicate's account limits and how the pipeline spends them (docs/throughput.md, "The account's limits").
 *
 * @param createsPerMinute  {@code replicate.max-creates-per-minute}: creates are spaced to this rate
 * @param createBurst       {@code replicate.create-burst}: how many creates may leave at once after a quiet spell
 * @param requestsPerMinute {@code replicate.max-requests-per-minute}: every other API request (polls, lists, cancels)
 * @param requestBurst      {@code replicate.request-burst}
 * @param pollShare         {@code replicate.poll-share}: the share of the request rate polls may use (the rest is
 *                          left for lists and cancels); each prediction's poll interval stretches to keep within it
 * @param preferWait        {@code replicate.prefer-wait}: image creates ask Replicate to hold the answer this long
 *                          ({@code Prefer: wait=N}), so a fast image needs no poll; zero: never. Never more than
 *                          {@code replicate.response-timeout} less 5 s, in whole seconds
 * @param waitingCreates    {@code replicate.max-waiting-creates}: creates held open at once that way; beyond it a
 *                          create is answered at once and polled
 */
public record ReplicateLimits(int createsPerMinute, int createBurst, int requestsPerMinute, int requestBurst, double pollShare,
                              Duration preferWait, int waitingCreates) {

    public static ReplicateLimits from(SettingsReader r) {
        Duration wait = r.duration("replicate.prefer-wait");
        if (wait.toSeconds() > 60) {
            throw new SettingsException("replicate.prefer-wait: Replicate holds a create at most 60s, got " + r.required("replicate.prefer-wait"));
        }
        // a held create must be answered within replicate.response-timeout, with 5 s to spare
        long answer = r.millis("replicate.response-timeout", 1);
        wait = Duration.ofSeconds(Math.max(0, Math.min(wait.toSeconds(), (answer - 5000) / 1000)));
        return new ReplicateLimits(r.integer("replicate.max-creates-per-minute", 1, 100_000), r.integer("replicate.create-burst", 1, 10_000),
                r.integer("replicate.max-requests-per-minute", 1, 1_000_000), r.integer("replicate.request-burst", 1, 10_000),
                r.optionalDecimal("replicate.poll-share", 0.8, 0.05, 1.0), wait, r.integer("replicate.max-waiting-creates", 0, 1000));
    }
}
