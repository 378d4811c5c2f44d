package io.scenepipeline.app;

import io.scenepipeline.provider.DiskRoom;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Disk space as a resource, with the free space measured by a probe the test sets (the {@code diskSpaceProbe} bean):
 * short of {@code pipeline.disk-reserve}, new plans wait in the inbox, running plans make no paid call, readiness
 * {@code disk} is down naming the folder; with room again everything goes on by itself, no restart.
 */
class DiskSpaceTest extends PipelineTestSupport {

    private static final long MB = 1L << 20;
    private final AtomicLong free = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger looks = new AtomicInteger();

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.disk-reserve", "100MB");
        return p;
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        ToLongFunction<Path> probe = folder -> {
            looks.incrementAndGet();
            return free.get();
        };
        registry.bind("diskSpaceProbe", probe);
    }

    private HealthCheck.Result disk() {
        return context.getRegistry().lookupByNameAndType("disk-health-check", HealthCheck.class).call();
    }

    /** The disk room looks at the folders every second: waits until it has looked {@code n} more times. */
    private void looksAgain(int n) {
        int target = looks.get() + n * 3;
        await().atMost(Duration.ofSeconds(30)).until(() -> looks.get() >= target);
    }

    @Test
    void should_hold_new_plans_and_paid_calls_while_the_disk_is_short_and_go_on_when_there_is_room() throws Exception {
        stubHappyProviders();
        free.set(10 * MB);
        await().atMost(Duration.ofSeconds(30)).until(() -> disk().getState() == HealthCheck.State.DOWN);
        assertThat(disk().getMessage()).hasValueSatisfying(m -> assertThat(m)
                .contains("pipeline.work").contains("10 MB free, less than pipeline.disk-reserve (100 MB)"));
        Route inbox = context.getRoute("inbox");
        await().atMost(Duration.ofSeconds(10)).until(() -> ServiceHelper.isSuspended(inbox.getConsumer()));

        Path dropped = drop("held.json", plan(2));
        looksAgain(3);
        assertThat(dropped).as("the plan waits in the inbox").exists();
        assertThat(wm.getAllServeEvents()).as("no call while the disk is short").isEmpty();

        // room again: the plan goes on by itself
        free.set(Long.MAX_VALUE);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(outbox("held").resolve("manifest.json")));
        assertThat(readJson(outbox("held").resolve("manifest.json")).path("status").asText()).isEqualTo("succeeded");
        assertThat(disk().getState()).isEqualTo(HealthCheck.State.UP);
    }

    @Test
    void should_make_no_paid_call_for_a_running_plan_until_there_is_room() throws Exception {
        stubHappyProviders();
        // the images take two seconds: the disk runs short while they are made, before the clips are asked for
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/v1/predictions/imagepredictionid000000001")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        prediction("imagepredictionid000000001", "succeeded", wm.baseUrl() + "/files/out-0.png")).withFixedDelay(2000)));
        Path dropped = drop("running.json", plan(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> !wm.findAll(postRequestedFor(urlPathEqualTo(IMAGEN))).isEmpty());
        free.set(10 * MB);
        DiskRoom room = context.getRegistry().lookupByNameAndType("diskRoom", DiskRoom.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> room.waitingCalls() >= 2);
        int paid = paidCalls();
        looksAgain(3);
        assertThat(paidCalls()).as("paid calls made while the disk was short").isEqualTo(paid);
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(SEEDANCE)))).as("clips asked for while the disk was short").isEmpty();
        assertThat(disk().getState()).isEqualTo(HealthCheck.State.DOWN);

        free.set(Long.MAX_VALUE);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(outbox("running").resolve("manifest.json")));
        assertThat(readJson(outbox("running").resolve("manifest.json")).path("status").asText()).isEqualTo("succeeded");
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(SEEDANCE)))).hasSize(2);
        assertThat(dropped).doesNotExist();
    }

    private int paidCalls() {
        return wm.findAll(postRequestedFor(urlPathEqualTo(IMAGEN))).size() + wm.findAll(postRequestedFor(urlPathEqualTo(SEEDANCE))).size()
                + wm.findAll(postRequestedFor(urlPathEqualTo(TTS))).size();
    }

}
