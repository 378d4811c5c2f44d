package io.scenepipeline.retry;

import io.scenepipeline.provider.RetryAfter;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderErrorsTest {

    @Test
    void should_quote_each_providers_own_message() {
        assertThat(ProviderErrors.describe(new HttpOperationFailedException("u", 401, "Unauthorized", null, Map.of(),
                "{\"title\":\"Unauthenticated\",\"detail\":\"You did not pass a valid authentication token\",\"status\":401}")))
                .isEqualTo("401 Unauthorized - You did not pass a valid authentication token");
        assertThat(ProviderErrors.describe(new HttpOperationFailedException("u", 429, "", null, Map.of(),
                "{\"detail\":{\"type\":\"rate_limit_error\",\"code\":\"concurrent_limit_exceeded\",\"message\":\"Too many concurrent requests\"}}")))
                .isEqualTo("429 Too Many Requests - Too many concurrent requests (concurrent_limit_exceeded)");
        assertThat(ProviderErrors.describe(new HttpOperationFailedException("u", 422, "Unprocessable Entity", null, Map.of(),
                "{\"detail\":[{\"loc\":[\"body\",\"transcript\"],\"msg\":\"field required\",\"type\":\"value_error.missing\"}]}")))
                .isEqualTo("422 Unprocessable Entity - body.transcript: field required");
        assertThat(ProviderErrors.describe(new HttpOperationFailedException("u", 500, "Internal Server Error", null, Map.of(),
                "{\"detail\":\"Alignment timed out after 120s\"}")))
                .isEqualTo("500 Internal Server Error - Alignment timed out after 120s");
        // Replicate's input validation lists its problems as "- field: …" lines (with an empty status text from HTTP/2)
        assertThat(ProviderErrors.describe(new HttpOperationFailedException("u", 422, "", null, Map.of(),
                "{\"detail\":\"- input.duration: Must be less than or equal to 12\\n- input.prompt: Required\\n\",\"status\":422}")))
                .isEqualTo("422 Unprocessable Content - input.duration: Must be less than or equal to 12; input.prompt: Required");
        assertThat(ProviderErrors.describe(new NoHttpResponseException("x failed to respond")))
                .isEqualTo("Server disconnected without sending a response");
    }

    @Test
    void should_read_how_long_a_429_asks_to_wait() {
        Instant now = Instant.parse("2026-11-29T10:00:00Z");

        assertThat(RetryAfter.millis(http(429, Map.of("Retry-after", "7"), "{}"), now)).hasValue(7000);
        assertThat(RetryAfter.millis(http(429, Map.of("Retry-After", "Sun, 29 Nov 2026 10:00:30 GMT"), "{}"), now)).hasValue(30000);
        assertThat(RetryAfter.millis(http(429, Map.of(), "{\"detail\":\"throttled\",\"retry_after\":5}"), now)).hasValue(5000);
        assertThat(RetryAfter.millis(http(429, Map.of(), "{\"detail\":\"Request was throttled. Your rate limit resets in ~30s.\"}"), now)).hasValue(30000);
        assertThat(RetryAfter.millis(http(429, Map.of(), "not json"), now)).isEmpty();
        assertThat(RetryAfter.millis(http(503, Map.of("retry-after", "9"), "{}"), now)).hasValue(9000);
        assertThat(RetryAfter.millis(http(500, Map.of("Retry-After", "9"), "{}"), now)).isEmpty();
    }

    private static HttpOperationFailedException http(int status, Map<String, String> headers, String body) {
        return new HttpOperationFailedException("u", status, "", null, headers, body);
    }
}
