package io.scenepipeline.app;

import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When a provider is down the inbox pauses; plans wait there, not in the dead letters, until a probe succeeds. The plans
 * already running go on: none is cut off into the work folder.
 */
class BreakerTest extends PipelineTestSupport {

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.breaker.failures", "2");
        p.setProperty("pipeline.breaker.window", "1m");
        p.setProperty("pipeline.breaker.half-open-after", "1500ms");
        return p;
    }

    @Test
    void should_pause_the_inbox_during_an_outage_and_resume_after_a_successful_probe() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(IMAGEN).willReturn(aResponse().withStatus(503).withBody("{\"detail\":\"down\",\"status\":503}")).atPriority(1));

        runPlan("first.json", plan(1).replace("Prompt of scene 1", "first"));
        runPlan("second.json", plan(1).replace("Prompt of scene 1", "second"));
        await().atMost(Duration.ofSeconds(5)).until(() -> intakePaused());
        assertThat(providersCheck()).as("readiness while the breaker is open").isEqualTo(org.apache.camel.health.HealthCheck.State.DOWN);
        Path inbox = dir.resolve("inbox");
        Path tmp = inbox.resolve(".waiting.tmp");
        Files.writeString(tmp, plan(1).replace("Prompt of scene 1", "waiting"), StandardCharsets.UTF_8);
        Files.move(tmp, inbox.resolve("waiting.json"), StandardCopyOption.ATOMIC_MOVE);
        wm.resetAll();
        stubHappyProviders();

        assertThat(inbox.resolve("waiting.json")).exists();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(outbox("waiting").resolve("manifest.json")));
        assertThat(deadLetter("first.error.json")).exists();
        assertThat(deadLetter("second.error.json")).exists();
        assertThat(deadLetter("waiting.json")).doesNotExist();
        await().atMost(Duration.ofSeconds(5)).until(() -> !intakePaused());
        assertThat(providersCheck()).isEqualTo(org.apache.camel.health.HealthCheck.State.UP);
    }

    @Test
    void should_let_the_plans_running_when_it_opens_finish_instead_of_cutting_them_off() throws Exception {
        // a pause that waited for the running plans would give up on them after a second (and cut them off)
        context.getShutdownStrategy().setTimeout(1);
        stubHappyProviders();
        // the running plan's clip takes a while; the other plan's image create fails for good meanwhile
        wm.stubFor(post(IMAGEN).withRequestBody(containing("doomed")).willReturn(aResponse().withStatus(503)
                .withBody("{\"detail\":\"down\",\"status\":503}")).atPriority(1));
        wm.stubFor(get("/v1/predictions/videopredictionid000000001").willReturn(okJson(
                prediction("videopredictionid000000001", "succeeded", wm.baseUrl() + "/files/out.mp4")).withFixedDelay(2500)).atPriority(1));
        NotifyBuilder slowDone = new NotifyBuilder(context).fromRoute("inbox").filter(e -> "slow.json".equals(
                e.getIn().getHeader(org.apache.camel.Exchange.FILE_NAME_ONLY)) && e.getProperty(org.apache.camel.Exchange.SPLIT_INDEX) == null)
                .whenDone(1).create();
        drop("slow.json", plan(1).replace("Prompt of scene 1", "slow"));
        await().atMost(Duration.ofSeconds(10)).until(() -> wm.findAll(postRequestedFor(urlEqualTo(SEEDANCE))).size() == 1);

        runPlan("doomed-1.json", plan(1).replace("Prompt of scene 1", "doomed one"));
        runPlan("doomed-2.json", plan(1).replace("Prompt of scene 1", "doomed two"));
        await().atMost(Duration.ofSeconds(5)).until(this::intakePaused);

        assertThat(slowDone.matches(20, java.util.concurrent.TimeUnit.SECONDS)).as("the running plan ended").isTrue();
        assertThat(outbox("slow").resolve("manifest.json")).exists();
        assertThat(deadLetter("slow.error.json")).doesNotExist();
        assertThat(dir.resolve("work/inflight")).isEmptyDirectory();
    }

    /** Is the inbox's consumer paused (the route itself, and the plans it runs, go on)? */
    private boolean intakePaused() {
        return ((org.apache.camel.support.service.ServiceSupport) context.getRoute("inbox").getConsumer()).isSuspended();
    }

    /** The readiness check named "providers", as /observe/health/ready evaluates it. */
    private org.apache.camel.health.HealthCheck.State providersCheck() {
        return org.apache.camel.health.HealthCheckHelper.invokeReadiness(context, "full").stream()
                .filter(r -> "providers".equals(r.getCheck().getId())).findFirst().orElseThrow().getState();
    }
}
