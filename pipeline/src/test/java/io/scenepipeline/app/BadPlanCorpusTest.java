package io.scenepipeline.app;

import io.scenepipeline.plan.PlanIds;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input: every plan of src/test/resources/bad-plans (and a few generated ones too big to keep) goes to the
 * dead-letter folder with its specific message, unchanged, without a provider call, and the service keeps going.
 */
class BadPlanCorpusTest extends PipelineTestSupport {

    @Test
    void should_dead_letter_every_bad_plan_with_its_own_message_and_call_no_provider() throws Exception {
        Map<String, String> expected = corpus();
        List<String> failures = new ArrayList<>();

        for (Map.Entry<String, String> c : expected.entrySet()) {
            byte[] bytes = read(c.getKey());
            runPlan(c.getKey(), bytes);
            failures.addAll(check(c.getKey(), bytes, c.getValue()));
        }

        assertThat(failures).isEmpty();
        assertThat(expected).hasSizeGreaterThanOrEqualTo(30);
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void should_refuse_plans_too_large_to_read_or_to_run() throws Exception {
        String scene = "{\"scene_number\": %d, \"narration\": \"n\", \"visual_description\": \"v\", \"duration\": 1}";
        StringBuilder many = new StringBuilder("{\"scenes\": [");
        for (int i = 1; i <= 10_000; i++) {
            many.append(i > 1 ? "," : "").append(String.format(scene, i));
        }
        many.append("]}");
        String longNarration = "{\"scenes\": [{\"scene_number\": 1, \"narration\": \"" + "a".repeat(1_000_000)
                + "\", \"visual_description\": \"v\", \"duration\": 1}]}";
        Path big = dir.resolve("fifty-megabytes.json.src");
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] chunk = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            out.write("{\"scenes\": []".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 50; i++) {
                out.write(chunk);
            }
            out.write('}');
        }

        runPlan("ten-thousand-scenes.json", many.toString());
        runPlan("megabyte-narration.json", longNarration);
        runPlan("fifty-megabytes.json", Files.readAllBytes(big));

        assertThat(check("ten-thousand-scenes.json", many.toString().getBytes(StandardCharsets.UTF_8),
                "scenes: holds 10000 scenes; at most 200 are allowed (pipeline.max-scenes)")).isEmpty();
        assertThat(check("megabyte-narration.json", longNarration.getBytes(StandardCharsets.UTF_8),
                "scenes[0].narration: is 1000000 characters long; at most 5000 are allowed (pipeline.max-text-chars)")).isEmpty();
        assertThat(deadLetter("fifty-megabytes.json")).hasSameBinaryContentAs(big);
        assertThat(readJson(deadLetter("fifty-megabytes.error.json")).path("error").asText())
                .isEqualTo("Invalid plan (1 problem): (file): is 52428814 bytes; plans are at most 1048576 bytes (pipeline.max-plan-bytes)");
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void should_accept_a_utf8_bom_and_odd_file_names_and_keep_going_after_bad_plans() throws Exception {
        stubHappyProviders();
        byte[] bom = ("\uFEFF" + plan(1)).getBytes(StandardCharsets.UTF_8);

        runPlan("truncated.json", read("truncated.json"));
        runPlan("with bom.json", bom);
        runPlan("plan ünïcode ✓.json", plan(1));

        assertThat(readJson(outbox(PlanIds.safe("with bom")).resolve("manifest.json")).path("status").asText()).isEqualTo("succeeded");
        Path odd = outbox(PlanIds.safe("plan ünïcode ✓"));
        assertThat(odd.getFileName().toString()).matches("[A-Za-z0-9_-]{1,64}");
        assertThat(readJson(odd.resolve("manifest.json")).path("file").asText()).isEqualTo("plan ünïcode ✓.json");
        assertThat(deadLetter("truncated.error.json")).exists();
    }

    private List<String> check(String file, byte[] submitted, String expectedPart) throws IOException {
        List<String> problems = new ArrayList<>();
        String id = PlanIds.choose(null, file);
        Path copy = deadLetter(id + ".json");
        Path report = deadLetter(id + ".error.json");
        if (!Files.exists(copy) || !Files.exists(report)) {
            problems.add(file + ": no dead letter " + copy.getFileName());
            return problems;
        }
        if (!java.util.Arrays.equals(Files.readAllBytes(copy), submitted)) {
            problems.add(file + ": the dead-letter copy differs from the submitted bytes");
        }
        JsonNode r = readJson(report);
        if (!r.path("stage").asText().equals("validation") || r.path("retryable").asBoolean()) {
            problems.add(file + ": stage " + r.path("stage") + ", retryable " + r.path("retryable"));
        }
        if (!r.path("error").asText().contains(expectedPart)) {
            problems.add(file + ": expected the error to contain «" + expectedPart + "» but it was «" + r.path("error").asText() + "»");
        }
        return problems;
    }

    private static Map<String, String> corpus() throws IOException {
        Map<String, String> cases = new LinkedHashMap<>();
        for (String line : new String(read("expected.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] parts = line.split("\t", 2);
                cases.put(parts[0], parts[1]);
            }
        }
        return cases;
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = BadPlanCorpusTest.class.getResourceAsStream("/bad-plans/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
