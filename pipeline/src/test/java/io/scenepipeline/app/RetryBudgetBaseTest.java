package io.scenepipeline.app;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry budget's base is every retry unit's first attempt, whichever retry component runs it: each call into a
 * unit counts one as it starts. With retries allowed up to 100 % of first attempts (and no spare), ten plans whose
 * image create fails once each all get their retry; were first attempts not counted, the budget would refuse them.
 */
class RetryBudgetBaseTest extends PipelineTestSupport {

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.breaker.failures", "0");
        p.setProperty("retry.budget-percent", "100");
        p.setProperty("retry.budget-min-retries", "0");
        for (String c : new String[] {"video", "facerig", "storyboard"}) {
            p.setProperty("retry." + c + ".maximumRedeliveries", "1");
        }
        return p;
    }

    @Test
    void should_count_every_units_first_attempt_in_the_budget() throws Exception {
        stubHappyProviders();
        int plans = 10;
        for (int i = 1; i <= plans; i++) {
            String prompt = "flaky " + plans + " " + i + "\"";
            failFirst(() -> post(IMAGEN).withRequestBody(containing(prompt)), 1,
                    aResponse().withStatus(503).withBody("{\"detail\":\"busy\",\"status\":503}"), "flaky-" + i);
        }

        for (int i = 1; i <= plans; i++) {
            runPlan("flaky-" + i + ".json", plan(1).replace("Prompt of scene 1", "flaky " + plans + " " + i));
        }

        for (int i = 1; i <= plans; i++) {
            assertThat(outbox("flaky-" + i).resolve("manifest.json")).as("plan %d retried and finished", i).exists();
        }
        assertThat(wm.findAll(postRequestedFor(urlEqualTo(IMAGEN)))).hasSize(2 * plans);
    }
}
