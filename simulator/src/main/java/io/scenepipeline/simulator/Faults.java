package io.scenepipeline.simulator;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fault injection. A text sent to the simulator (prompt, narration, transcript) may carry triggers of the form
 * {@code [sim:<target>-<fault>]} (fails every time) or {@code [sim:<target>-<fault>x<n>]} (fails the first n
 * times, then works). Targets: image, video, poll, download, tts, upload, align, emotions, export. Faults: an HTTP
 * status (401, 404, 422, 429, 500, 503, …), {@code disconnect}, {@code truncate} (download), {@code e005} and
 * {@code interrupted} (prediction outcome), {@code stall} (answers only after {@code simulator.stall-ms}). Besides, {@code simulator.fault-rate} makes that share of all requests
 * fail with a random transient fault.
 */
final class Faults {

    private static final Pattern TRIGGER = Pattern.compile("\\[sim:([a-z]+)-(e005|[a-z]+|\\d{3})(?:x(\\d+))?]");
    private static final String[] RANDOM = {"503", "500", "502", "429", "disconnect"};

    private volatile double rate;
    private final long stallMs;
    private final Map<String, AtomicInteger> used = new ConcurrentHashMap<>();
    private final Map<String, String> textOfMedia = new ConcurrentHashMap<>();

    Faults(double rate, long stallMs) {
        this.rate = rate;
        this.stallMs = stallMs;
    }

    /** Changes the share of requests that fail at random (a fault burst, and its end, while the simulator runs). */
    void rate(double share) {
        this.rate = Math.max(0, Math.min(1, share));
    }

    double rate() {
        return rate;
    }

    /**
     * Applies an HTTP-level fault: a status answered with a provider-shaped body, a dropped connection, or a
     * stall (the answer comes only after {@code simulator.stall-ms}, past the client's read timeout). True when
     * the request has been answered.
     */
    boolean answer(SimRequest req, Optional<String> fault, FaultBody body) throws IOException {
        if (fault.isEmpty()) {
            return false;
        }
        String f = fault.get();
        if (f.equals("disconnect")) {
            throw new SimRequest.SimulatedDisconnect();
        }
        if (f.equals("stall")) {
            ProviderSimulator.sleep(stallMs);
            return false;
        }
        if (isStatus(f)) {
            body.send(req, Integer.parseInt(f));
            return true;
        }
        return false;
    }

    /** Writes a provider-shaped error body for a status. */
    interface FaultBody {
        void send(SimRequest req, int status) throws IOException;
    }

    /** The fault to inject for this target and text, if any. */
    Optional<String> next(String target, String text) {
        if (text != null) {
            Matcher m = TRIGGER.matcher(text);
            while (m.find()) {
                if (!m.group(1).equals(target)) {
                    continue;
                }
                if (m.group(3) == null) {
                    return Optional.of(m.group(2));
                }
                int times = Integer.parseInt(m.group(3));
                int n = used.computeIfAbsent(target + "|" + m.group() + "|" + text, k -> new AtomicInteger()).incrementAndGet();
                return n <= times ? Optional.of(m.group(2)) : Optional.empty();
            }
        }
        if (rate > 0 && ThreadLocalRandom.current().nextDouble() < rate && !target.equals("outcome")) {
            return Optional.of(RANDOM[ThreadLocalRandom.current().nextInt(RANDOM.length)]);
        }
        return Optional.empty();
    }

    /** Remembers which text a generated file speaks, so later calls that carry only the file find its triggers. */
    void remember(byte[] media, String text) {
        textOfMedia.put(digest(media), text);
    }

    String textOf(byte[] media) {
        return media == null ? null : textOfMedia.get(digest(media));
    }

    private static String digest(byte[] media) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(media));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text with its triggers removed, for what the media show. */
    static String clean(String text) {
        return text == null ? "" : TRIGGER.matcher(text).replaceAll("").replaceAll("\\s+", " ").trim();
    }

    static boolean isStatus(String fault) {
        return fault.matches("[1-5][0-9][0-9]");
    }
}
