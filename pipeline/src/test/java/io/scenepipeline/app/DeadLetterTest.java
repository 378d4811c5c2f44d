package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterTest extends PipelineTestSupport {

    @Test
    void should_dead_letter_a_plan_on_401_without_retrying() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(IMAGEN).willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Unauthenticated\",\"detail\":\"You did not pass a valid authentication token\",\"status\":401}")));
        String plan = plan(1);

        runPlan("unauthorized.json", plan);

        assertThat(deadLetter("unauthorized.json")).hasBinaryContent(plan.getBytes(StandardCharsets.UTF_8));
        JsonNode report = readJson(deadLetter("unauthorized.error.json"));
        assertThat(report.path("plan_id").asText()).isEqualTo("unauthorized");
        assertThat(report.path("file").asText()).isEqualTo("unauthorized.json");
        assertThat(report.path("failed_at").asText()).isNotBlank();
        assertThat(report.path("stage").asText()).isEqualTo("text-to-image");
        assertThat(report.path("scene_number").asInt()).isEqualTo(1);
        assertThat(report.path("provider").asText()).isEqualTo("replicate");
        assertThat(report.path("retryable").asBoolean()).isFalse();
        assertThat(report.path("attempts").asInt()).isEqualTo(1);
        assertThat(report.path("http_status").asInt()).isEqualTo(401);
        assertThat(report.path("error").asText()).isEqualTo("401 Unauthorized - You did not pass a valid authentication token");
        assertThat(report.path("completed_scenes")).isEmpty();
        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)));
        assertThat(outbox("unauthorized")).doesNotExist();
        assertThat(dir.resolve("inbox/unauthorized.json")).doesNotExist();
        assertThat(Files.list(dir.resolve("work/staging"))).isEmpty();
        assertThat(Files.readString(deadLetter("unauthorized.error.json"))).doesNotContain(TOKEN);
    }

    @Test
    void should_dead_letter_an_invalid_plan_at_once_listing_every_problem_and_calling_no_provider() throws Exception {
        String plan = "{\"scenes\": [{\"scene_number\": -1, \"narration\": \"n\", \"duration\": 0}]}";

        runPlan("broken.json", plan);

        assertThat(deadLetter("broken.json")).hasContent(plan);
        JsonNode report = readJson(deadLetter("broken.error.json"));
        assertThat(report.path("stage").asText()).isEqualTo("validation");
        assertThat(report.path("retryable").asBoolean()).isFalse();
        assertThat(report.path("scene_number").isNull()).isTrue();
        assertThat(report.path("provider").isNull()).isTrue();
        assertThat(report.path("http_status").isNull()).isTrue();
        assertThat(report.path("problems").findValuesAsText("")).isEmpty();
        assertThat(report.path("problems")).extracting(JsonNode::asText).containsExactly(
                "scenes[0].scene_number: must be a positive whole number, got -1",
                "scenes[0].visual_description: is required",
                "scenes[0].duration: must be greater than 0 seconds, got 0");
        assertThat(report.path("error").asText()).startsWith("Invalid plan (3 problems)");
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void should_never_overwrite_an_earlier_dead_letter() throws Exception {
        runPlan("twice.json", "{\"first\": true}");
        runPlan("twice.json", "{\"second\": true}");

        assertThat(deadLetter("twice.json")).hasContent("{\"first\": true}");
        assertThat(deadLetter("twice-2.json")).hasContent("{\"second\": true}");
        assertThat(deadLetter("twice.error.json")).exists();
        assertThat(deadLetter("twice-2.error.json")).exists();
    }

    @Test
    void should_keep_running_after_a_bad_plan_and_finish_the_next_good_one() throws Exception {
        stubHappyProviders();

        runPlan("garbage.json", "\u0000\u0001 not json");
        runPlan("good.json", plan(1));

        assertThat(readJson(deadLetter("garbage.error.json")).path("error").asText()).contains("is not valid JSON");
        assertThat(readJson(outbox("good").resolve("manifest.json")).path("status").asText()).isEqualTo("succeeded");
    }
}
