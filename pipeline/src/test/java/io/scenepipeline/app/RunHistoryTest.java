package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A plan fixed and dropped again: its dead letter moves aside, and every run's spend stays on record. */
class RunHistoryTest extends PipelineTestSupport {

    @Test
    void should_resolve_the_old_dead_letter_and_keep_every_runs_spend_when_a_plan_is_dropped_again() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(urlPathEqualTo(TTS)).atPriority(1).willReturn(aResponse().withStatus(401).withHeader("Content-Type",
                "application/json").withBody("{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}")));
        runPlan("again.json", plan(1));
        double failedRun = readJson(deadLetter("again.error.json")).path("cost_usd").asDouble();
        assertThat(failedRun).as("the picture and the clip were paid before the narration failed").isPositive();

        // the key is fixed: dropped again, it succeeds
        wm.removeStub(wm.getStubMappings().stream().filter(m -> Integer.valueOf(1).equals(m.getPriority())).findFirst().orElseThrow());
        runPlan("again.json", plan(1));

        assertThat(deadLetter("again.json")).doesNotExist();
        assertThat(deadLetter("again.error.json")).doesNotExist();
        assertThat(dir.resolve("dead-letter/resolved/again.json")).exists();
        assertThat(dir.resolve("dead-letter/resolved/again.error.json")).exists();
        assertThat(dir.resolve("dead-letter/resolved/again.report.html")).exists();
        JsonNode second = readJson(outbox("again").resolve("manifest.json"));
        assertThat(second.path("history")).hasSize(1);
        assertThat(second.path("history").get(0).path("status").asText()).isEqualTo("dead-lettered");
        assertThat(second.path("history").get(0).path("cost_usd").asDouble()).isEqualTo(failedRun);
        assertThat(second.path("cost_usd_all_runs").asDouble()).isCloseTo(failedRun + second.path("cost_usd").asDouble(), within(1e-6));

        // and once more, everything from the journal: this run spends nothing, the earlier runs' spend is still there
        runPlan("again.json", plan(1));
        JsonNode third = readJson(outbox("again").resolve("manifest.json"));
        assertThat(third.path("cost_usd").asDouble()).isZero();
        assertThat(third.path("history")).extracting(h -> h.path("status").asText()).containsExactly("dead-lettered", "succeeded");
        assertThat(third.path("cost_usd_all_runs").asDouble()).isCloseTo(second.path("cost_usd_all_runs").asDouble(), within(1e-6));
        assertThat(java.nio.file.Files.readString(outbox("again").resolve("report.html"))).contains("spent in 2 earlier runs");
    }
}
