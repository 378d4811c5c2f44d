package io.scenepipeline.provider;

import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a 429 (or a 503 that says so) asks us to wait, in this order: the {@code Retry-After} header (seconds or HTTP-date), the
 * body's {@code retry_after} (Replicate), the {@code ~Ns} hint in Replicate's {@code detail}.
 */
public final class RetryAfter {

    private static final Pattern RESETS_IN = Pattern.compile("resets in ~(\\d+)s");

    private RetryAfter() {
    }

    public static OptionalLong millis(HttpOperationFailedException failure, Instant now) {
        if (failure.getStatusCode() != 429 && failure.getStatusCode() != 503) {
            return OptionalLong.empty();
        }
        OptionalLong header = header(failure.getResponseHeaders(), now);
        return header.isPresent() ? header : body(failure.getResponseBody());
    }

    public static OptionalLong header(Map<String, String> headers, Instant now) {
        if (headers == null) {
            return OptionalLong.empty();
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if ("Retry-After".equalsIgnoreCase(h.getKey()) && h.getValue() != null) {
                String value = h.getValue().trim();
                try {
                    return OptionalLong.of(Math.max(0, Math.round(Double.parseDouble(value) * 1000)));
                } catch (NumberFormatException notSeconds) {
                    try {
                        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                        return OptionalLong.of(Math.max(0, Duration.between(now, at).toMillis()));
                    } catch (DateTimeParseException notADate) {
                        return OptionalLong.empty();
                    }
                }
            }
        }
        return OptionalLong.empty();
    }

    static OptionalLong body(String body) {
        if (body == null || body.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            JsonNode node = Json.read(body);
            JsonNode retryAfter = node.get("retry_after");
            if (retryAfter != null && retryAfter.isNumber()) {
                return OptionalLong.of(Math.max(0, Math.round(retryAfter.asDouble() * 1000)));
            }
            JsonNode detail = node.get("detail");
            if (detail != null && detail.isTextual()) {
                Matcher m = RESETS_IN.matcher(detail.asText());
                if (m.find()) {
                    return OptionalLong.of(Long.parseLong(m.group(1)) * 1000);
                }
            }
        } catch (RuntimeException notJson) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
