package io.scenepipeline.app;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;

/** Replicate's account limits: creates leave evenly spaced, never a minute's worth at once; polls share the request rate. */
class AccountPacingTest extends PipelineTestSupport {

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.scene-concurrency", "6");
        // one create every 250 ms, none at once; polls at most 600 per minute (one every 100 ms)
        p.setProperty("replicate.max-creates-per-minute", "240");
        p.setProperty("replicate.create-burst", "1");
        p.setProperty("replicate.max-requests-per-minute", "600");
        p.setProperty("replicate.request-burst", "1");
        return p;
    }

    @Test
    void should_space_creates_to_the_account_rate_and_keep_polls_under_the_request_rate() throws Exception {
        stubHappyProviders();

        runPlan("paced.json", plan(6));

        List<Long> creates = times(wm.findAll(postRequestedFor(urlMatching("/v1/models/.*/predictions"))));
        assertThat(creates).hasSize(12);
        // spaced where they leave (250 ms); where they arrive, one held up by the machine may come closer to the next
        for (int i = 1; i < creates.size(); i++) {
            assertThat(creates.get(i) - creates.get(i - 1)).as("gap before create %d of %s", i + 1, creates).isGreaterThanOrEqualTo(50);
        }
        assertThat(creates.get(creates.size() - 1) - creates.get(0)).as("12 creates at 240 per minute").isGreaterThanOrEqualTo(11 * 225);
        List<Long> polls = times(wm.findAll(getRequestedFor(urlMatching("/v1/predictions/.+"))));
        for (int i = 1; i < polls.size(); i++) {
            assertThat(polls.get(i) - polls.get(i - 1)).as("gap before poll %d of %s", i + 1, polls).isGreaterThanOrEqualTo(70);
        }
        assertThat(readJson(outbox("paced").resolve("manifest.json")).path("status").asText()).isEqualTo("succeeded");
    }

    private static List<Long> times(List<LoggedRequest> requests) {
        return requests.stream().map(r -> r.getLoggedDate().getTime()).sorted(Comparator.naturalOrder()).toList();
    }
}
