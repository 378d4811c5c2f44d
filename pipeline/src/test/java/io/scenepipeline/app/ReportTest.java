package io.scenepipeline.app;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTML reports, read the way a browser would: every scene there, every file it shows present, nothing remote. */
class ReportTest extends PipelineTestSupport {

    @Test
    void should_show_every_scene_with_files_that_exist_and_nothing_fetched_from_elsewhere() throws Exception {
        stubHappyProviders();
        String plan = plan(3).replace("\"Test plan\"", "\"Rivers <&> \\\"canyons\\\"\"");

        runPlan("three.json", plan);

        Path folder = outbox("three");
        Document html = Jsoup.parse(folder.resolve("report.html").toFile(), "UTF-8");
        assertThat(html.title()).startsWith("Rivers <&> \"canyons\"");
        assertThat(html.select("article.card")).hasSize(3);
        for (int n = 1; n <= 3; n++) {
            Element card = html.getElementById("scene-" + n);
            assertThat(card).as("scene %d", n).isNotNull();
            assertThat(card.select("img[src=images/scene_" + n + ".png]")).hasSize(1);
            assertThat(card.select("video[src=clips/scene_" + n + ".mp4]")).hasSize(1);
            assertThat(card.select("video[src=face_rig/scene_" + n + ".mp4]")).hasSize(1);
            assertThat(card.select("audio[src=audio/scene_" + n + ".wav]")).hasSize(1);
            assertThat(card.text()).contains("Narration of scene " + n).contains("Prompt of scene " + n);
            assertThat(card.select("tbody tr")).extracting(Element::text)
                    .anySatisfy(row -> assertThat(row).startsWith("text-to-image replicate google/imagen-3 1").endsWith("paid"));
        }
        List<String> links = html.select("[src],[href]").eachAttr("src");
        links.addAll(html.select("[href]").eachAttr("href"));
        assertThat(links).hasSize(12).allSatisfy(link -> {
            assertThat(link).doesNotContain("://").doesNotStartWith("/").doesNotContain("..");
            assertThat(folder.resolve(link)).isRegularFile();
        });
        assertThat(html.select("script, link[rel=stylesheet]")).isEmpty();
        assertThat(html.select(".totals").text()).contains("3/3 scenes done").contains("0 retries");
    }

    @Test
    void should_explain_a_dead_lettered_plan_with_what_finished_and_why_it_failed() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(urlEqualTo(SEEDANCE)).atPriority(1).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Invalid input\",\"detail\":\"duration: <must be> 5 or 10\",\"status\":422}")));

        runPlan("refused.json", plan(2));

        Document html = Jsoup.parse(deadLetter("refused.report.html").toFile(), "UTF-8");
        Element failed = html.selectFirst("section.failed");
        assertThat(failed).isNotNull();
        assertThat(failed.selectFirst("h2").text()).startsWith("Failed at image-to-video, scene");
        assertThat(failed.text()).contains("422").contains("duration: <must be> 5 or 10").contains("Retryable no");
        assertThat(html.select("article.card")).hasSize(2);
        assertThat(html.select("article.card tbody tr")).extracting(Element::text)
                .anySatisfy(row -> assertThat(row).startsWith("text-to-image").endsWith("paid"));
        assertThat(html.select("[src]")).as("the outputs stay in the journal, nothing to link").isEmpty();
        assertThat(html.html()).doesNotContain(TOKEN).doesNotContain(XI_KEY);
        assertThat(failed.text()).contains("kept in the step journal");
    }

    @Test
    void should_list_the_problems_of_an_invalid_plan() throws Exception {
        runPlan("invalid.json", "{\"scenes\": [{\"scene_number\": 0, \"duration\": 5}]}");

        Document html = Jsoup.parse(deadLetter("invalid.report.html").toFile(), "UTF-8");
        assertThat(html.selectFirst("section.failed h2").text()).isEqualTo("Failed at validation");
        assertThat(html.select("section.failed li")).extracting(Element::text).containsExactly(
                "scenes[0].scene_number: must be a positive whole number, got 0",
                "scenes[0].visual_description: is required",
                "scenes[0].narration: is required while face_rig is enabled (pipeline.face-rig.enabled=true)");
        assertThat(html.select("section.failed").text()).contains("no provider was called");
        assertThat(html.select("article.card")).isEmpty();
    }
}
