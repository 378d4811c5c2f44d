package io.scenepipeline.retry;

import io.scenepipeline.plan.PlanValidationException;
import io.scenepipeline.provider.TruncatedDownloadException;
import io.scenepipeline.provider.replicate.PredictionFailedException;
import io.scenepipeline.support.MalformedResponseException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every case of docs/retries.md, by type and status only. */
class FailureClassifierTest {

    private final FailureClassifier classifier = FailureClassifier.ofStatusList("408,429,500,502,503,504");

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void should_retry_transient_http_statuses(int status) {
        assertThat(classifier.isRetryable(http(status, "{}"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 402, 403, 404, 409, 410, 413, 422, 501, 505})
    void should_not_retry_other_statuses(int status) {
        assertThat(classifier.isRetryable(http(status, "{}"))).isFalse();
    }

    @Test
    void should_retry_network_failures() {
        assertThat(classifier.isRetryable(new ConnectException("Connection refused"))).isTrue();
        assertThat(classifier.isRetryable(new HttpHostConnectException("Connect to http://x failed: Connection refused"))).isTrue();
        assertThat(classifier.isRetryable(new SocketException("Connection reset"))).isTrue();
        assertThat(classifier.isRetryable(new NoHttpResponseException("127.0.0.1:1 failed to respond"))).isTrue();
        assertThat(classifier.isRetryable(new SocketTimeoutException("Read timed out"))).isTrue();
        assertThat(classifier.isRetryable(new ConnectTimeoutException("Connect timed out"))).isTrue();
        assertThat(classifier.isRetryable(new ConnectionClosedException("Premature end of Content-Length delimited message body"))).isTrue();
        assertThat(classifier.isRetryable(new TruncatedDownloadException("ended after 10 of 20 bytes"))).isTrue();
        assertThat(classifier.isRetryable(new org.apache.hc.core5.http.MalformedChunkCodingException("Bad chunk header"))).isTrue();
        // after a paid call, a DNS hiccup on the download or an HTML page from a proxy in place of a poll's answer
        assertThat(classifier.isRetryable(new UnknownHostException("replicate.delivery"))).isTrue();
        assertThat(classifier.isRetryable(new MalformedResponseException("Replicate answered with an empty body"))).isTrue();
    }

    @Test
    void should_not_retry_local_or_input_problems() {
        assertThat(classifier.isRetryable(new NoSuchFileException("images/scene_1.png"))).isFalse();
        assertThat(classifier.isRetryable(new FileNotFoundException("x"))).isFalse();
        assertThat(classifier.isRetryable(new IOException("disk full"))).isFalse();
        assertThat(classifier.isRetryable(new PlanValidationException(List.of("scenes: is required")))).isFalse();
        assertThat(classifier.isRetryable(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void should_follow_the_prediction_outcome() {
        assertThat(classifier.isRetryable(new PredictionFailedException("p", "failed", "Prediction interrupted; please retry (code: PA)", true))).isTrue();
        assertThat(classifier.isRetryable(new PredictionFailedException("p", "failed", "flagged as sensitive (E005)", false))).isFalse();
        assertThat(classifier.isRetryable(new PredictionFailedException("p", "canceled", null, false))).isFalse();
    }

    @Test
    void should_never_look_at_message_text() {
        assertThat(classifier.isRetryable(http(404, "{\"detail\":\"Connection timeout 500 while fetching\"}"))).isFalse();
        assertThat(classifier.isRetryable(new IllegalArgumentException("500 Connection Timeout"))).isFalse();
    }

    @Test
    void should_find_the_cause_inside_camel_wrappers() {
        assertThat(classifier.isRetryable(new CamelExecutionException("wrapped", null, http(503, "")))).isTrue();
        assertThat(classifier.isRetryable(new CamelExecutionException("wrapped", null, http(401, "")))).isFalse();
    }

    @Test
    void should_follow_the_configured_status_list() {
        FailureClassifier narrow = FailureClassifier.ofStatusList("503");

        assertThat(narrow.isRetryable(http(503, ""))).isTrue();
        assertThat(narrow.isRetryable(http(500, ""))).isFalse();
    }

    static HttpOperationFailedException http(int status, String body) {
        return new HttpOperationFailedException("http://x/v1/predictions", status, "", null, Map.of(), body);
    }
}
