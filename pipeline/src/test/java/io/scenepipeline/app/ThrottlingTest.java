package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider's "slow down" (429) is backpressure: waited out and tried again without spending an attempt, a share of
 * the retry budget or a breaker count. With no retries at all configured, a throttled plan still succeeds.
 */
class ThrottlingTest extends PipelineTestSupport {

    private static final String THROTTLED = "{\"detail\":\"Request was throttled. Your rate limit resets in ~0s.\",\"status\":429,\"retry_after\":0}";

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        for (String c : new String[] {"video", "facerig", "storyboard"}) {
            p.setProperty("retry." + c + ".maximumRedeliveries", "0");
        }
        p.setProperty("retry.budget-min-retries", "0");
        p.setProperty("retry.budget-percent", "0");
        // one exhausted call would open it
        p.setProperty("pipeline.breaker.failures", "1");
        // a few throttled answers in a row fit in it; endless ones outlast it
        p.setProperty("retry.throttle-limit", "300ms");
        return p;
    }

    @Test
    void should_wait_out_429s_without_spending_an_attempt_the_budget_or_the_breaker() throws Exception {
        stubHappyProviders();
        failFirst(() -> post(IMAGEN), 3, aResponse().withStatus(429).withBody(THROTTLED), "create");
        failFirst(() -> com.github.tomakehurst.wiremock.client.WireMock.get("/v1/predictions/imagepredictionid000000001"), 2,
                aResponse().withStatus(429).withBody(THROTTLED), "poll");
        failFirst(() -> post(urlPathEqualTo(TTS)), 2, aResponse().withStatus(429).withHeader("maximum-concurrent-requests", "1")
                .withBody("{\"detail\":{\"type\":\"rate_limit_error\",\"code\":\"concurrent_limit_exceeded\","
                        + "\"status\":\"too_many_concurrent_requests\",\"message\":\"Too many concurrent requests\"}}"), "tts");

        runPlan("throttled.json", plan(1));

        wm.verify(4, postRequestedFor(urlEqualTo(IMAGEN)));
        wm.verify(3, getRequestedFor(urlEqualTo("/v1/predictions/imagepredictionid000000001")));
        wm.verify(3, postRequestedFor(urlPathEqualTo(TTS)));
        JsonNode steps = readJson(outbox("throttled").resolve("manifest.json")).path("scenes").get(0).path("steps");
        for (JsonNode step : steps) {
            assertThat(step.path("attempts").asInt()).as("attempts of %s", step.path("step").asText()).isEqualTo(1);
        }
        assertThat(providersCheck()).as("the breaker stays closed").isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void should_fail_like_any_transient_error_once_throttling_outlasts_the_throttle_limit() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(IMAGEN).willReturn(aResponse().withStatus(429).withBody(THROTTLED)).atPriority(1));

        runPlan("forever.json", plan(1));

        JsonNode report = readJson(deadLetter("forever.error.json"));
        assertThat(report.path("http_status").asInt()).isEqualTo(429);
        assertThat(report.path("retryable").asBoolean()).isTrue();
        assertThat(report.path("attempts").asInt()).isEqualTo(1);
        assertThat(wm.findAll(postRequestedFor(urlEqualTo(IMAGEN))).size()).isGreaterThan(2);
    }

    private HealthCheck.State providersCheck() {
        return HealthCheckHelper.invokeReadiness(context, "full").stream()
                .filter(r -> "providers".equals(r.getCheck().getId())).findFirst().orElseThrow().getState();
    }
}
