package io.scenepipeline.app;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-provider concurrency limits hold while scenes run in parallel. */
class ConcurrencyLimitTest extends PipelineTestSupport {

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.scene-concurrency", "6");
        p.setProperty("elevenlabs.max-concurrent", "2");
        p.setProperty("facerig.max-concurrent", "1");
        return p;
    }

    @Test
    void should_never_have_more_calls_in_flight_than_each_provider_allows() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(urlPathEqualTo(TTS)).withQueryParam("output_format", equalTo("wav_16000"))
                .willReturn(aResponse().withFixedDelay(150).withHeader("Content-Type", "audio/wav").withBody(wav())));
        for (String path : new String[] {"/audio/upload", "/generate-alignment", "/generate-emotions"}) {
            wm.stubFor(post(path).willReturn(aResponse().withFixedDelay(60).withHeader("Content-Type", "application/json")
                    .withBody(path.equals("/audio/upload") ? "{\"filename\":\"upload_1.wav\"}"
                            : path.equals("/generate-alignment") ? "{\"keyframes\":[{\"time_ms\":0,\"target_expr\":\"neutral\"}],\"total_duration_ms\":1000}"
                            : "{\"keyframes\":[]}")));
        }
        wm.stubFor(post(IMAGEN).willReturn(aResponse().withFixedDelay(100).withStatus(201).withHeader("Content-Type", "application/json")
                .withBody(prediction("imagepredictionid000000001", "starting", null))));
        String six = plan(6);

        runPlan("crowd.json", six);

        List<ServeEvent> events = wm.getAllServeEvents();
        int tts = maxInFlight(events, e -> e.getRequest().getUrl().startsWith("/v1/text-to-speech/"));
        int faceRig = maxInFlight(events, e -> !e.getRequest().getUrl().startsWith("/v1/") && !e.getRequest().getUrl().startsWith("/files/"));
        int replicate = maxInFlight(events, e -> e.getRequest().getUrl().startsWith("/v1/models/") || e.getRequest().getUrl().startsWith("/v1/predictions"));
        System.out.printf("ConcurrencyLimitTest: most calls in flight at once: elevenlabs %d, face_rig %d, replicate %d%n", tts, faceRig, replicate);
        assertThat(tts).isEqualTo(2);
        assertThat(faceRig).isEqualTo(1);
        assertThat(replicate).isGreaterThan(1);
        assertThat(readJson(outbox("crowd").resolve("manifest.json")).path("status").asText()).isEqualTo("succeeded");
    }

    /** The most requests of one kind the stub was serving at the same moment, from the request journal. */
    private static int maxInFlight(List<ServeEvent> events, Predicate<ServeEvent> kind) {
        List<long[]> edges = new ArrayList<>();
        for (ServeEvent e : events) {
            if (kind.test(e)) {
                long start = e.getRequest().getLoggedDate().getTime();
                long end = start + Math.max(1, e.getTiming().getTotalTime());
                edges.add(new long[] {start, 1});
                edges.add(new long[] {end, -1});
            }
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int max = 0;
        for (long[] edge : edges) {
            now += (int) edge[1];
            max = Math.max(max, now);
        }
        return max;
    }
}
