package io.scenepipeline.retry;

import io.scenepipeline.provider.RetryAfter;
import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A provider's "slow down" (HTTP 429: Replicate's rate limits, ElevenLabs' concurrent requests) is backpressure, not a
 * failure: the call waits as long as the answer asks (else the retry component's first delay, at most 1 s, doubling to
 * 30 s; never longer at once than the component's {@code maximumRedeliveryDelay}) and is tried again without spending
 * an attempt, a share of the retry budget or a breaker count. Two 429s are failures like any other (docs/retries.md):
 * ElevenLabs' {@code system_busy} (the provider is overloaded), and throttling of one call that lasts past
 * {@code retry.throttle-limit}.
 */
public final class Throttling {

    private static final Set<String> OVERLOADED = Set.of("system_busy");
    private static final long FIRST_WAIT_MS = 1000;
    private static final long LONGEST_WAIT_MS = 30_000;

    private final long limitMs;
    private final java.util.function.BooleanSupplier diskShort;

    /** @param limit {@code retry.throttle-limit}: how long one call may be throttled before its 429s count as failures */
    public Throttling(Duration limit) {
        this(limit, () -> false);
    }

    /** @param diskShort whether a folder written to is short of space now (a write that failed then waits for room) */
    public Throttling(Duration limit, java.util.function.BooleanSupplier diskShort) {
        this.limitMs = limit.toMillis();
        this.diskShort = diskShort;
    }

    /** A local write that failed while the disk is short: backpressure from the disk, waited out until there is room. */
    boolean diskFull(Throwable failure) {
        return diskShort.getAsBoolean() && ObjectHelper.getException(java.io.IOException.class, failure) != null;
    }

    /** Is this failure a provider's "slow down"? */
    public static boolean isThrottle(Throwable failure) {
        HttpOperationFailedException http = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        return http != null && http.getStatusCode() == 429 && !overloaded(http.getResponseBody());
    }

    /** A throttle of the current call, still within {@code retry.throttle-limit}: waited out, not counted. */
    boolean applies(RetryUnit unit, Throwable failure) {
        if (diskFull(failure)) {
            return true; // as long as the disk is short: it is not the provider's doing, and nothing is paid meanwhile
        }
        if (!isThrottle(failure)) {
            return false;
        }
        long now = System.currentTimeMillis();
        if (unit.throttledSince == null) {
            unit.throttledSince = now;
            return true;
        }
        return now - unit.throttledSince < limitMs;
    }

    /**
     * Counts a throttled redelivery of the call and returns its wait: what the answer asked, else a short backoff; never
     * more than {@code longest} (the component's {@code maximumRedeliveryDelay}: a call asked to wait an hour looks
     * again then, and is throttled again if it must).
     */
    long waitBefore(RetryUnit unit, Throwable failure, Backoff backoff) {
        long longest = backoff.maximumRedeliveryDelay();
        int n = unit.throttled;
        unit.throttled = n + 1;
        HttpOperationFailedException http = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        OptionalLong asked = http == null ? OptionalLong.empty() : RetryAfter.millis(http, Instant.now());
        long cap = longest > 0 ? longest : Long.MAX_VALUE;
        if (asked.isPresent()) {
            return Math.min(cap, Math.max(1, asked.getAsLong()));
        }
        // the component's first wait, at most a second, doubling
        long first = Math.max(1, Math.min(FIRST_WAIT_MS, backoff.delayBefore(1)));
        long wait = Math.min(LONGEST_WAIT_MS, first << Math.min(n, 10));
        return Math.min(cap, wait + ThreadLocalRandom.current().nextLong(wait / 4 + 1));
    }

    /** ElevenLabs says {@code system_busy} when it is overloaded: that 429 is an ordinary transient failure. */
    private static boolean overloaded(String body) {
        if (body == null || body.isBlank()) {
            return false;
        }
        try {
            JsonNode detail = Json.read(body).path("detail");
            return OVERLOADED.contains(detail.path("status").asText("").toLowerCase(Locale.ROOT))
                    || OVERLOADED.contains(detail.path("code").asText("").toLowerCase(Locale.ROOT));
        } catch (RuntimeException notJson) {
            return false;
        }
    }
}
