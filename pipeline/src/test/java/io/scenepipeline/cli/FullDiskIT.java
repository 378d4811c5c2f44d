package io.scenepipeline.cli;

import io.scenepipeline.support.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real small file system (a 48 MB tmpfs the test mounts; skipped where it may not mount one) under the work folder,
 * the outbox and the dead letters, filled up by a ballast file while the pipeline runs as a real process: short of
 * {@code pipeline.disk-reserve}, no plan is taken and no paid call is made, readiness {@code disk} is down; once the
 * ballast goes, every plan finishes, without a restart, each prediction created once.
 */
class FullDiskIT {

    private final Processes processes = new Processes();
    private Path mount;

    @AfterEach
    void unmount() throws Exception {
        processes.close();
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void should_wait_for_room_and_finish_every_plan_when_the_disk_has_room_again() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "it-runs")).toAbsolutePath();
        Path work = Files.createTempDirectory(root, "full-disk-");
        Path small = Files.createDirectories(work.resolve("small"));
        Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mounting.waitFor() == 0, "this machine lets no test mount a tmpfs: "
                + new String(mounting.getInputStream().readAllBytes()));
        mount = small;
        String simulator = processes.simulator("-Dsimulator.prediction-ms=1500");
        Path folder = Processes.workFolder("full-disk-node-", simulator, "pipeline.work=" + small.resolve("work"),
                "pipeline.outbox=" + small.resolve("outbox"), "pipeline.dead-letter=" + small.resolve("dead-letter"),
                "pipeline.inbox=" + work.resolve("inbox"), "pipeline.disk-reserve=16MB", "assembly.enabled=false");
        Processes.Run node = processes.jar(folder, List.of());
        String health = ClusterTestSupport.management(node);
        Path ballast = small.resolve("ballast.bin");

        // full before the plan comes: it waits in the inbox
        leave(ballast, small, 8);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> diskDown(health));
        Path first = drop(work, "disk-1", 1);
        int[] downs = {0};
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).until(() -> (diskDown(health) ? ++downs[0] : 0) >= 10);
        assertThat(first).as("the plan waits in the inbox").exists();
        assertThat(ClusterTestSupport.creates(simulator)).isZero();

        Files.delete(ballast);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> manifest(small, "disk-1"));

        // full while a plan runs: its next paid calls wait, then it finishes
        drop(work, "disk-2", 2);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).until(() -> ClusterTestSupport.creates(simulator) > 2);
        leave(ballast, small, 8);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> diskDown(health));
        int paid = ClusterTestSupport.creates(simulator);
        downs[0] = 0;
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).until(() -> (diskDown(health) ? ++downs[0] : 0) >= 10);
        assertThat(ClusterTestSupport.creates(simulator)).as("creates while the disk was short").isEqualTo(paid);
        Files.delete(ballast);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> manifest(small, "disk-2"));

        assertThat(node.lines).anyMatch(l -> l.contains("WARN  Disk space is short: pipeline.work"))
                .anyMatch(l -> l.contains("Disk space is back"));
        assertThat(node.lines).filteredOn(l -> l.contains(" ERROR ") || l.contains("Exception")).as(node.output()).isEmpty();
        ClusterTestSupport.eachCreatedOnce(Processes.simulatorRequests(simulator).path("creates_by_input"));
        try (var letters = Files.list(small.resolve("dead-letter"))) {
            assertThat(letters.toList()).as("dead letters").isEmpty();
        }
        assertThat(small.resolve("work/inflight")).isEmptyDirectory();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> !diskDown(health));
    }

    /** Grows the ballast until the file system has {@code mb} MB free. */
    private static void leave(Path ballast, Path fs, long mb) throws IOException {
        long free = Files.getFileStore(fs).getUsableSpace();
        long size = Files.exists(ballast) ? Files.size(ballast) : 0;
        try (RandomAccessFile f = new RandomAccessFile(ballast.toFile(), "rw")) {
            byte[] block = new byte[1 << 20];
            f.seek(size);
            for (long left = free - (mb << 20); left > 0; left -= block.length) {
                f.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    private static boolean diskDown(String health) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(health + "/observe/health/ready?exposureLevel=full"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.contains("\"disk\",\"status\":\"DOWN\"");
    }

    private static boolean manifest(Path small, String plan) throws IOException {
        Path m = small.resolve("outbox").resolve(plan).resolve("manifest.json");
        return Files.exists(m) && Json.read(Files.readString(m)).path("status").asText().equals("succeeded");
    }

    private static Path drop(Path work, String id, int scenes) throws IOException {
        Path inbox = Files.createDirectories(work.resolve("inbox"));
        StringBuilder s = new StringBuilder();
        for (int n = 1; n <= scenes; n++) {
            s.append(n > 1 ? "," : "").append("{\"scene_number\": ").append(n).append(", \"narration\": \"").append(id).append(" scene ")
                    .append(n).append(".\", \"visual_description\": \"").append(id).append(" picture ").append(n).append("\", \"duration\": 2}");
        }
        Path tmp = Files.writeString(inbox.resolve("." + id + ".tmp"), "{\"plan_id\": \"" + id + "\", \"scenes\": [" + s + "]}");
        return Files.move(tmp, inbox.resolve(id + ".json"), StandardCopyOption.ATOMIC_MOVE);
    }
}
