package io.scenepipeline.app;

import io.scenepipeline.provider.ServerSlots;
import io.scenepipeline.simulator.SimulatorSettings;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several face_rig servers sharing the scenes, on the simulator (each simulated server does one call at a time, as
 * the real one does): every server gets work, every export finds its audio, a server that dies mid-plan leaves its
 * work to the others, and scenes waiting for a server hold no thread.
 */
class FaceRigPoolTest extends PipelineTestSupport {

    private static final SimulatorFixture SIMULATOR = new SimulatorFixture(new SimulatorSettings(0, 0, 0, 3_600_000, 70_000,
            Map.of("export", 300L, "align", 50L), true, 0, 3));

    @AfterEach
    void stopSimulator() {
        SIMULATOR.close();
    }

    @Override
    protected Properties extraProperties() {
        Properties p = SIMULATOR.providers();
        p.setProperty("replicate.poll-interval", "20");
        p.setProperty("pipeline.scene-concurrency", "12");
        p.setProperty("elevenlabs.max-concurrent", "12");
        return p;
    }

    private static String plan(int scenes, String narration) {
        StringBuilder sb = new StringBuilder("{\"scenes\": [");
        for (int i = 1; i <= scenes; i++) {
            sb.append(i > 1 ? "," : "").append("{\"scene_number\": ").append(i).append(", \"narration\": \"").append(narration)
                    .append(' ').append(i).append("\", \"visual_description\": \"Scene ").append(i).append("\", \"duration\": 3}");
        }
        return sb.append("]}").toString();
    }

    @Test
    void should_share_twelve_scenes_among_three_servers_each_export_finding_its_audio() throws Exception {
        runPlan("shared.json", plan(12, "Shared work"));

        JsonNode manifest = readJson(outbox("shared").resolve("manifest.json"));
        assertThat(manifest.path("status").asText()).isEqualTo("succeeded");
        Map<String, Map<String, Integer>> byServer = SIMULATOR.get().faceRigCounts();
        System.out.println("face_rig requests per server: " + byServer);
        assertThat(byServer).hasSize(3).allSatisfy((url, counts) -> {
            assertThat(counts.getOrDefault("facerig.export", 0)).as("exports on %s", url).isPositive();
            assertThat(counts.get("facerig.upload")).as("every export on %s found the audio uploaded there", url)
                    .isEqualTo(counts.get("facerig.export"));
        });
        assertThat(byServer.values().stream().mapToInt(c -> c.get("facerig.export")).sum()).isEqualTo(12);
        for (int n = 1; n <= 12; n++) {
            assertThat(outbox("shared").resolve("face_rig/scene_" + n + ".mp4")).isNotEmptyFile();
        }
    }

    @Test
    void should_bring_non_ascii_narration_to_the_aligner_exactly() throws Exception {
        runPlan("accents.json", plan(1, "Señor Núñez’s café, naïve — 東京"));

        assertThat(SIMULATOR.get().alignedTranscripts()).containsExactly("Señor Núñez’s café, naïve — 東京 1");
    }

    @Test
    void should_finish_the_plan_on_the_other_servers_when_one_dies_mid_plan() throws Exception {
        String second = SIMULATOR.get().faceRigUrls().get(1);
        Thread killer = new Thread(() -> {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> SIMULATOR.get().faceRigCounts().get(second).getOrDefault("facerig.export", 0) >= 1);
            SIMULATOR.get().stopFaceRig(2);
        });
        killer.start();

        runPlan("survivor.json", plan(12, "Survivor"));
        killer.join(TimeUnit.SECONDS.toMillis(30));

        JsonNode manifest = readJson(outbox("survivor").resolve("manifest.json"));
        assertThat(manifest.path("status").asText()).isEqualTo("succeeded");
        for (int n = 1; n <= 12; n++) {
            assertThat(outbox("survivor").resolve("face_rig/scene_" + n + ".mp4")).isNotEmptyFile();
        }
        Map<String, Map<String, Integer>> byServer = SIMULATOR.get().faceRigCounts();
        System.out.println("face_rig requests per server, the second stopped mid-plan: " + byServer);
        int others = byServer.entrySet().stream().filter(e -> !e.getKey().equals(second))
                .mapToInt(e -> e.getValue().getOrDefault("facerig.export", 0)).sum();
        assertThat(others).isGreaterThanOrEqualTo(11);
    }

    @Test
    void should_hold_no_thread_for_scenes_waiting_for_face_rig() throws Exception {
        ServerSlots servers = context.getRegistry().lookupByNameAndType("facerigServers", ServerSlots.class);
        AtomicInteger mostWaiting = new AtomicInteger();
        AtomicInteger busyWhileWaiting = new AtomicInteger();
        Thread watch = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                int waiting = servers.waitingCount();
                if (waiting > mostWaiting.get()) {
                    mostWaiting.set(waiting);
                    busyWhileWaiting.set(threadsWaitingForFaceRig());
                }
                Thread.onSpinWait();
            }
        });
        watch.setDaemon(true);
        watch.start();

        try {
            runPlan("waiting.json", plan(12, "Waiting"));
        } finally {
            watch.interrupt();
        }

        System.out.println("face_rig waiters at most: " + mostWaiting.get() + ", threads blocked waiting then: " + busyWhileWaiting.get());
        assertThat(mostWaiting.get()).as("scenes that waited for a face_rig slot at once").isGreaterThanOrEqualTo(6);
        // the waiting scenes are parked, not blocked: no thread waits for a face_rig connection or slot
        assertThat(busyWhileWaiting.get()).as("threads blocked waiting for face_rig while %d scenes waited", mostWaiting.get())
                .isZero();
        assertThat(Files.exists(outbox("waiting").resolve("manifest.json"))).isTrue();
    }

    /**
     * Threads blocked until a face_rig call may start: in the HTTP client's wait for a pooled connection (where a
     * narration chain used to wait) or parked on a lock of the slot pool.
     */
    private static int threadsWaitingForFaceRig() {
        return (int) Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getState() == Thread.State.WAITING || e.getKey().getState() == Thread.State.TIMED_WAITING)
                .map(java.util.Map.Entry::getValue)
                .filter(FaceRigPoolTest::waitsForFaceRig)
                .count();
    }

    /**
     * The wait itself is face_rig's: the first frame past the JDK's locks is the pool's lease or the slot pool (a thread
     * that only logs from inside the slot pool waits for the log's lock, not for face_rig).
     */
    private static boolean waitsForFaceRig(StackTraceElement[] frames) {
        return Arrays.stream(frames).filter(f -> !f.getClassName().startsWith("java.") && !f.getClassName().startsWith("jdk.")
                && !f.getClassName().startsWith("sun.")).findFirst()
                .map(f -> f.getClassName().startsWith("org.apache.hc.core5.pool.") || f.getClassName().equals(ServerSlots.class.getName()))
                .orElse(false);
    }
}
