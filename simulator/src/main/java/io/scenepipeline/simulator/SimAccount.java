package io.scenepipeline.simulator;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider account's limits, as the real providers enforce them (docs/providers.md): Replicate's creates and other
 * API requests per minute (a token bucket allowing short bursts; an account low on credit gets 6 creates per minute
 * with a burst of 1) answered beyond with 429 and the body Replicate words, with no {@code Retry-After} header; and
 * ElevenLabs' concurrent requests per plan tier, answered beyond with 429 {@code too_many_concurrent_requests}, its
 * {@code current-concurrent-requests} / {@code maximum-concurrent-requests} headers on every answer.
 *
 * @param createsPerMinute   Replicate creates per minute (0: no limit)
 * @param requestsPerMinute  every other Replicate API request per minute (0: no limit)
 * @param burst              how many requests of either kind may come at once after a quiet spell (0: a tenth of a
 *                           minute's worth)
 * @param lowCredit          the account is low on credit: 6 creates per minute with a burst of 1, said in the 429
 * @param elevenlabsConcurrency ElevenLabs' concurrent requests (0: no limit)
 */
public record SimAccount(int createsPerMinute, int requestsPerMinute, int burst, boolean lowCredit, int elevenlabsConcurrency) {

    public static final SimAccount UNLIMITED = new SimAccount(0, 0, 0, false, 0);

    /** Replicate's and ElevenLabs' real limits (a Creator plan's 5 concurrent requests). */
    public static SimAccount real() {
        return new SimAccount(600, 3000, 0, false, 5);
    }

    /**
     * From {@code simulator.replicate-creates-per-minute}, {@code simulator.replicate-requests-per-minute},
     * {@code simulator.replicate-burst}, {@code simulator.replicate-low-credit} and {@code simulator.elevenlabs-concurrency}
     * (a key not set: no limit).
     */
    public static SimAccount from(java.util.function.Function<String, String> lookup) {
        return new SimAccount(number(lookup, "simulator.replicate-creates-per-minute"), number(lookup, "simulator.replicate-requests-per-minute"),
                number(lookup, "simulator.replicate-burst"), Boolean.parseBoolean(lookup.apply("simulator.replicate-low-credit")),
                number(lookup, "simulator.elevenlabs-concurrency"));
    }

    private static int number(java.util.function.Function<String, String> lookup, String key) {
        String v = lookup.apply(key);
        try {
            return v == null || v.isBlank() ? 0 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": must be a whole number, got '" + v + "'");
        }
    }

    /** The limits kept while the simulator runs. */
    static final class Limits {
        private final Bucket creates;
        private final Bucket requests;
        private final SimAccount account;
        private final AtomicInteger speaking = new AtomicInteger();
        private final Map<String, AtomicInteger> throttled = new LinkedHashMap<>();

        Limits(SimAccount account) {
            this.account = account;
            int createRate = account.lowCredit ? 6 : account.createsPerMinute;
            this.creates = createRate <= 0 ? null : new Bucket(createRate, account.lowCredit ? 1 : burst(account, createRate));
            this.requests = account.requestsPerMinute <= 0 ? null : new Bucket(account.requestsPerMinute, burst(account, account.requestsPerMinute));
        }

        private static int burst(SimAccount account, int perMinute) {
            return account.burst > 0 ? account.burst : Math.max(1, perMinute / 10);
        }

        /** A Replicate create: true when it was answered 429 here. */
        boolean refuseCreate(SimRequest req) throws IOException {
            return refuse(req, creates, "replicate.create");
        }

        /** Any other Replicate API request: true when it was answered 429 here. */
        boolean refuseRequest(SimRequest req) throws IOException {
            return refuse(req, requests, "replicate.request");
        }

        private boolean refuse(SimRequest req, Bucket bucket, String kind) throws IOException {
            if (bucket == null) {
                return false;
            }
            long reset = bucket.take();
            if (reset < 0) {
                return false;
            }
            count(kind);
            long seconds = Math.max(1, (reset + 999) / 1000);
            String detail = account.lowCredit && bucket == creates
                    ? "Request was throttled. Your rate limit for creating predictions is reduced to 6 requests per minute with a burst of 1"
                    + " requests while you have less than $5.0 in credit. Your rate limit resets in ~" + seconds + "s."
                    : "Request was throttled. Your rate limit resets in ~" + seconds + "s.";
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("detail", detail);
            body.put("status", 429);
            body.put("retry_after", seconds);
            req.json(429, body);
            return true;
        }

        /** ElevenLabs: takes one of the account's concurrent requests, or answers 429; the returned runnable gives it back. */
        Runnable speak(SimRequest req) throws IOException {
            int limit = account.elevenlabsConcurrency;
            if (limit <= 0) {
                return () -> { };
            }
            int now = speaking.incrementAndGet();
            req.exchange.getResponseHeaders().set("current-concurrent-requests", Integer.toString(Math.min(now, limit)));
            req.exchange.getResponseHeaders().set("maximum-concurrent-requests", Integer.toString(limit));
            if (now > limit) {
                speaking.decrementAndGet();
                count("elevenlabs.tts");
                req.json(429, Map.of("detail", Map.of("type", "rate_limit_error", "code", "concurrent_limit_exceeded",
                        "status", "too_many_concurrent_requests", "message", "You have too many concurrent requests for your plan ("
                                + limit + "). Please wait for a request to finish.")));
                return null;
            }
            return speaking::decrementAndGet;
        }

        private void count(String kind) {
            synchronized (throttled) {
                throttled.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
            }
        }

        /** 429s answered so far, by kind of request. */
        Map<String, Integer> throttled() {
            Map<String, Integer> out = new LinkedHashMap<>();
            synchronized (throttled) {
                throttled.forEach((k, v) -> out.put(k, v.get()));
            }
            return out;
        }
    }

    /** A token bucket as a theoretical arrival time: one request every 60/perMinute s, {@code burst} at once. */
    private static final class Bucket {
        private final double interval;
        private final double tolerance;
        private double tat;

        Bucket(int perMinute, int burst) {
            this.interval = 60_000.0 / perMinute;
            this.tolerance = (burst - 1) * interval;
        }

        /** -1 when the request is within the limit (and counted), else ms until it would be. */
        synchronized long take() {
            double now = System.nanoTime() / 1e6;
            double start = Math.max(tat, now);
            if (start - tolerance > now) {
                return Math.round(start - tolerance - now);
            }
            tat = start + interval;
            return -1;
        }
    }
}
