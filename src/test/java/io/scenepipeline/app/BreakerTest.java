package io.scenepipeline.app;

import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** When a provider is down the inbox pauses; plans wait there, not in the dead letters, until a probe succeeds. */
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
        await().atMost(Duration.ofSeconds(5)).until(() -> context.getRouteController().getRouteStatus("inbox") == ServiceStatus.Suspended);
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
        await().atMost(Duration.ofSeconds(5)).until(() -> context.getRouteController().getRouteStatus("inbox") == ServiceStatus.Started);
        assertThat(providersCheck()).isEqualTo(org.apache.camel.health.HealthCheck.State.UP);
    }

    /** The readiness check named "providers", as /observe/health/ready evaluates it. */
    private org.apache.camel.health.HealthCheck.State providersCheck() {
        return org.apache.camel.health.HealthCheckHelper.invokeReadiness(context, "full").stream()
                .filter(r -> "providers".equals(r.getCheck().getId())).findFirst().orElseThrow().getState();
    }
}
