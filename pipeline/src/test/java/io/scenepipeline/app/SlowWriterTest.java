package io.scenepipeline.app;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A plan copied over a slow share: written in chunks, with pauses longer than the inbox's min-age. */
class SlowWriterTest extends PipelineTestSupport {

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        // the shipped defaults
        p.setProperty("pipeline.inbox.min-age", "1000");
        p.setProperty("pipeline.inbox.settle-time", "10000");
        return p;
    }

    @Test
    void should_run_a_plan_written_in_five_chunks_once_and_whole() throws Exception {
        stubHappyProviders();
        byte[] plan = plan(2).getBytes(StandardCharsets.UTF_8);
        Path file = Files.createDirectories(dir.resolve("inbox")).resolve("slow.json");
        int chunks = 5;
        int size = (plan.length + chunks - 1) / chunks;
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < chunks; i++) {
                byte[] chunk = Arrays.copyOfRange(plan, i * size, Math.min(plan.length, (i + 1) * size));
                // each chunk opens the file by name and appends, as a copy over a share does
                writer.schedule(() -> {
                    Files.write(file, chunk, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    return null;
                }, 1800L * i, TimeUnit.MILLISECONDS);
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(outbox("slow").resolve("manifest.json")));
        } finally {
            writer.shutdownNow();
        }

        assertThat(outbox("slow").resolve("plan.json")).hasBinaryContent(plan);
        assertThat(dir.resolve("dead-letter")).isEmptyDirectory();
        wm.verify(2, postRequestedFor(urlEqualTo(IMAGEN)));
    }
}
