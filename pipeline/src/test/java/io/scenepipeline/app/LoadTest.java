package io.scenepipeline.app;

import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** 500 plans dropped at once against zero-latency stubs: each ends in the outbox or the dead letters, once. */
class LoadTest extends PipelineTestSupport {

    private static final int PLANS = 500;

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.face-rig.enabled", "false");
        p.setProperty("pipeline.inbox.min-age", "0");
        return p;
    }

    @Test
    void should_account_for_every_one_of_500_plans_exactly_once() throws Exception {
        stubHappyProviders();
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("inbox")
                .filter(e -> e.getProperty(Exchange.SPLIT_INDEX) == null && e.getProperty("CamelMulticastIndex") == null)
                .whenDone(PLANS).create();

        for (int i = 0; i < PLANS; i++) {
            String body = i % 10 == 9 ? "{\"scenes\": \"plan " + i + " is broken\"}"
                    : plan(1).replace("Prompt of scene 1", "Prompt of load plan " + i);
            Path tmp = inbox.resolve(".load-" + i + ".tmp");
            Files.writeString(tmp, body);
            Files.move(tmp, inbox.resolve("load-" + i + ".json"), StandardCopyOption.ATOMIC_MOVE);
        }

        assertThat(done.matches(240, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < PLANS; i++) {
            boolean bad = i % 10 == 9;
            assertThat(outbox("load-" + i).resolve("manifest.json").toFile().exists()).as("plan %d in the outbox", i).isEqualTo(!bad);
            assertThat(deadLetter("load-" + i + ".json")).as("plan %d dead-lettered", i).matches(p -> Files.exists(p) == bad);
        }
        assertThat(count(dir.resolve("outbox"))).isEqualTo(450);
        // each: the plan, its JSON report and its HTML report
        assertThat(count(dir.resolve("dead-letter"))).isEqualTo(150);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(count(inbox)).isZero();
            assertThat(count(dir.resolve("work/inflight"))).isZero();
            assertThat(count(dir.resolve("work/staging"))).isZero();
        });
        System.gc();
        long usedMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
        System.out.println("LoadTest: heap in use after 500 plans and a GC: " + usedMb + " MB");
        assertThat(usedMb).isLessThan(256);
    }

    private static long count(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }
}
