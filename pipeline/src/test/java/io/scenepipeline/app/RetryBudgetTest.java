package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A provider that fails for everyone gets at most its first attempts plus the retry budget (20 % of them plus 3), not
 * three attempts per call. (A lone failure in a healthy run keeps its three attempts and waits: RetryTest.)
 */
class RetryBudgetTest extends PipelineTestSupport {

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.breaker.failures", "0");
        return p;
    }

    @Test
    void should_cap_retries_to_a_provider_that_fails_every_create() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(IMAGEN).willReturn(aResponse().withStatus(503).withBody("{\"detail\":\"down\",\"status\":503}")).atPriority(1));

        int plans = 20;
        for (int i = 1; i <= plans; i++) {
            runPlan("down-" + i + ".json", plan(1).replace("Prompt of scene 1", "down " + i));
        }

        int creates = wm.findAll(postRequestedFor(urlEqualTo(IMAGEN))).size();
        System.out.println("image creates for " + plans + " plans against a provider that fails every create: " + creates);
        // 20 first attempts, retries within 20 % of them plus 3 (7), where three attempts each would make 60
        assertThat(creates).isBetween(plans + 2, plans + 7);
        int refused = 0;
        for (int i = 1; i <= plans; i++) {
            JsonNode report = readJson(deadLetter("down-" + i + ".error.json"));
            assertThat(report.path("retryable").asBoolean()).isTrue();
            if (report.path("error").asText().contains("the retry budget refused a retry to replicate (")) {
                refused++;
                assertThat(report.path("attempts").asInt()).isLessThan(3);
            }
        }
        assertThat(refused).as("plans whose retry the budget refused").isGreaterThanOrEqualTo(plans - 7);
        assertThat(readJson(deadLetter("down-1.error.json")).path("attempts").asInt()).as("the first failure keeps its attempts")
                .isEqualTo(3);
    }
}
