package io.scenepipeline.simulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Replicate's {@code Cancel-After} request header: a duration such as {@code 30s}, {@code 5m}, {@code 1h30m}. */
final class CancelAfter {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private CancelAfter() {
    }

    /** The duration in ms, or null when the header is absent or not a duration. */
    static Long millis(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.trim();
        Matcher m = PART.matcher(v);
        long total = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            end = m.end();
        }
        return end == v.length() && end > 0 ? total : null;
    }
}
