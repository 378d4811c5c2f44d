package io.scenepipeline.support;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and checks single setting values; every message names the key (used by every group of settings). */
public record SettingsReader(Function<String, String> lookup) {

    public String required(String key) {
        String v = lookup.apply(key);
        if (v == null || v.isBlank()) {
            throw new SettingsException(key + ": is not set");
        }
        return v.trim();
    }

    public String secret(String key, String env) {
        String v = lookup.apply(key);
        if (v == null || v.isBlank()) {
            throw new SettingsException(key + ": is not set (set the " + env + " environment variable, or use --simulate)");
        }
        return v.trim();
    }

    public Path path(String key) {
        String v = required(key);
        try {
            return Path.of(v);
        } catch (RuntimeException e) {
            throw new SettingsException(key + ": is not a valid folder path: '" + v + "'");
        }
    }

    public int integer(String key, int min, int max) {
        String v = required(key);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new SettingsException(key + ": must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SettingsException(key + ": must be a whole number, got '" + v + "'");
        }
    }

    public long longValue(String key, long min) {
        String v = required(key);
        try {
            long n = Long.parseLong(v);
            if (n < min) {
                throw new SettingsException(key + ": must be at least " + min + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SettingsException(key + ": must be a whole number, got '" + v + "'");
        }
    }

    public double decimal(String key, double min) {
        String v = required(key);
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d) || d < min) {
                throw new SettingsException(key + ": must be a number of at least " + min + ", got " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new SettingsException(key + ": must be a number, got '" + v + "'");
        }
    }

    public double optionalDecimal(String key, double fallback, double min, double max) {
        String v = lookup.apply(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        double d = decimal(key, min);
        if (d > max) {
            throw new SettingsException(key + ": must be between " + min + " and " + max + ", got " + v);
        }
        return d;
    }

    /** {@code 500ms}, {@code 30s}, {@code 15m}, {@code 12h}, {@code 7d}, or plain milliseconds. */
    public Duration duration(String key) {
        String v = required(key);
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(v);
        if (!m.matches()) {
            throw new SettingsException(key + ": must be a duration such as 7d, 12h, 30m, 45s or 500ms, got '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMillis(n);
        };
    }

    /** A time setting in milliseconds ({@link #duration}: {@code 60s}, {@code 5m}, or plain milliseconds), at least {@code min}. */
    public long millis(String key, long min) {
        long ms = duration(key).toMillis();
        if (ms < min) {
            throw new SettingsException(key + ": must be at least " + min + " ms, got " + required(key));
        }
        return ms;
    }

    public boolean bool(String key) {
        String v = required(key);
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new SettingsException(key + ": must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    public URI url(String key) {
        return url(key, required(key));
    }

    /** A comma-separated list of http(s) URLs (one is a list too), each checked as {@link #url(String)}, none twice. */
    public List<URI> urls(String key) {
        List<URI> out = new ArrayList<>();
        for (String v : required(key).split(",")) {
            if (v.isBlank()) {
                continue;
            }
            String trimmed = v.trim();
            URI uri = url(key, trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            if (out.contains(uri)) {
                throw new SettingsException(key + ": names " + uri + " twice");
            }
            out.add(uri);
        }
        if (out.isEmpty()) {
            throw new SettingsException(key + ": is not set");
        }
        return List.copyOf(out);
    }

    private static URI url(String key, String v) {
        try {
            URI uri = URI.create(v);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new SettingsException(key + ": must be an http(s) URL, got '" + v + "'");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new SettingsException(key + ": must not carry a query or fragment, got '" + v + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new SettingsException(key + ": is not a valid URL: '" + v + "'");
        }
    }

    /** A size in bytes: a whole number of bytes, or with KB, MB or GB ({@code 512MB}, {@code 2GB}). */
    public long size(String key) {
        String v = required(key);
        Matcher m = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?").matcher(v.trim().toUpperCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new SettingsException(key + ": must be a size such as 512MB or 2GB, got '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KB" -> n << 10;
            case "MB" -> n << 20;
            case "GB" -> n << 30;
            default -> n;
        };
    }

    public String oneOf(String key, List<String> allowed) {
        String v = required(key);
        if (!allowed.contains(v)) {
            throw new SettingsException(key + ": must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
        }
        return v;
    }

    public String matching(String key, String regex, String what) {
        String v = required(key);
        if (!v.matches(regex)) {
            throw new SettingsException(key + ": must be " + what + ", got '" + v + "'");
        }
        return v;
    }
}
