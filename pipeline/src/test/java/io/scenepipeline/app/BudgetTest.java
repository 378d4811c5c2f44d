package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** pipeline.max-cost-per-plan: a paid call whose price would pass it is not made, and the report says why. */
class BudgetTest extends PipelineTestSupport {

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        // less than one image (0.05): only the narration (0.0021) fits
        p.setProperty("pipeline.max-cost-per-plan", "0.01");
        p.setProperty("pipeline.face-rig.enabled", "false");
        return p;
    }

    @Test
    void should_stop_a_plan_before_a_paid_call_that_would_pass_its_budget() throws Exception {
        stubHappyProviders();

        runPlan("frugal.json", plan(1));

        wm.verify(0, postRequestedFor(urlEqualTo(IMAGEN)));
        JsonNode report = readJson(deadLetter("frugal.error.json"));
        assertThat(report.path("retryable").asBoolean()).isFalse();
        assertThat(report.path("stage").asText()).isEqualTo("text-to-image");
        assertThat(report.path("error").asText()).startsWith("Budget reached: the next call (text-to-image, google/imagen-3) would "
                + "cost about $0.0500").contains("its budget of $0.0100 (pipeline.max-cost-per-plan)");
    }
}
