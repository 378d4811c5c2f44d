package io.scenepipeline.cli;

import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.JMSContext;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cluster mode with real servers and real processes: nodes of the packaged jar on shared folders, PostgreSQL for the
 * journal, ActiveMQ Artemis for the plans queue, the standalone simulator counting every create.
 */
class ClusterIT {

    private static final int PLANS = 4;
    private static final int SCENES = 2;

    private final Processes processes = new Processes();
    private ClusterServices services;
    private Path shared;

    @BeforeEach
    void servers() throws Exception {
        services = ClusterServices.require();
        Files.createDirectories(Path.of("target", "it-runs"));
        shared = Files.createTempDirectory(Path.of("target", "it-runs").toAbsolutePath(), "cluster-shared-");
    }

    @AfterEach
    void stopAll() {
        processes.close();
    }

    @Test
    void should_finish_every_plan_of_a_node_killed_at_its_first_create_elsewhere_creating_each_prompt_once() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=1500");
        Processes.Run first = processes.jar(node("node1-", simulator), List.of());
        first.awaitLine("Watching", Duration.ofSeconds(90));
        for (int p = 1; p <= PLANS; p++) {
            drop(p);
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> creates(simulator) >= 1 || !first.process.isAlive());
        first.process.destroyForcibly().waitFor();
        assertThat(first.output()).contains("Queued for the cluster").contains("Starting");

        Processes.Run second = processes.jar(node("node2-", simulator), List.of());
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> manifests() == PLANS || !second.process.isAlive());

        for (int p = 1; p <= PLANS; p++) {
            JsonNode manifest = Json.read(Files.readString(shared.resolve("outbox/cluster-" + p + "/manifest.json")));
            assertThat(manifest.path("status").asText()).as(second.output()).isEqualTo("succeeded");
            for (int s = 1; s <= SCENES; s++) {
                assertThat(shared.resolve("outbox/cluster-" + p + "/clips/scene_" + s + ".mp4")).isNotEmptyFile();
            }
        }
        JsonNode creates = Processes.simulatorRequests(simulator).path("creates_by_input");
        System.out.println("creates after node 1 was killed at its first: " + creates.toPrettyString());
        System.out.println("node 1:\n" + first.output() + "\nnode 2:\n" + second.output());
        assertThat(creates).hasSize(PLANS * SCENES * 2);
        creates.fields().forEachRemaining(e -> assertThat(e.getValue().asInt()).as("creates of %s", e.getKey()).isEqualTo(1));
        assertThat(shared.resolve("inbox")).isEmptyDirectory();
        assertThat(shared.resolve("dead-letter")).isEmptyDirectory();
        assertThat(services.count("SELECT count(*) FROM journal_steps")).as("steps journaled").isGreaterThanOrEqualTo(PLANS * SCENES * 3);
    }

    @Test
    void should_neither_pay_nor_publish_again_when_a_node_stopped_past_its_lease_wakes_up() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=1500");
        // the broker notices a silent node after 4 s and hands its plans on
        Processes.Run stopped = processes.jar(node("stopped-", simulator, "?connectionTTL=4000&clientFailureCheckPeriod=1000"), List.of());
        stopped.awaitLine("Watching", Duration.ofSeconds(90));
        drop(1);
        drop(2);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> creates(simulator) >= 1 || !stopped.process.isAlive());
        signal("STOP", stopped.process);

        Processes.Run other = processes.jar(node("other-", simulator, "?connectionTTL=4000&clientFailureCheckPeriod=1000"), List.of());
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> manifests() == 2 || !other.process.isAlive());
        signal("CONT", stopped.process);
        try {
            stopped.awaitLine("Left to the node that took it over", Duration.ofMinutes(2));
        } finally {
            System.out.println("stopped node:\n" + stopped.output() + "\nother node:\n" + other.output());
        }
        JsonNode creates = Processes.simulatorRequests(simulator).path("creates_by_input");
        assertThat(creates).hasSize(2 * SCENES * 2);
        creates.fields().forEachRemaining(e -> assertThat(e.getValue().asInt()).as("creates of %s", e.getKey()).isEqualTo(1));
        for (int p = 1; p <= 2; p++) {
            Path out = shared.resolve("outbox/cluster-" + p);
            assertThat(Json.read(Files.readString(out.resolve("manifest.json"))).path("status").asText()).isEqualTo("succeeded");
            for (int s = 1; s <= SCENES; s++) {
                assertThat(out.resolve("images/scene_" + s + ".png")).isNotEmptyFile();
                assertThat(out.resolve("clips/scene_" + s + ".mp4")).isNotEmptyFile();
            }
        }
        assertThat(shared.resolve("dead-letter")).isEmptyDirectory();
        assertThat(stopped.output()).doesNotContain("Pipeline failed").doesNotContain("Pipeline succeeded");
    }

    @Test
    void should_hold_the_account_wide_limits_across_all_nodes_together() throws Exception {
        // narration and face_rig calls that take a while, so that two nodes would overlap them if each counted alone
        String simulator = processes.simulator("-Dsimulator.prediction-ms=300", "-Dsimulator.latency.tts=400",
                "-Dsimulator.latency.align=400", "-Dsimulator.latency.export=400");
        Processes.Run one = processes.jar(node("limits-1-", simulator), List.of());
        Processes.Run two = processes.jar(node("limits-2-", simulator), List.of());
        one.awaitLine("Watching", Duration.ofSeconds(90));
        two.awaitLine("Watching", Duration.ofSeconds(90));
        for (int p = 1; p <= PLANS; p++) {
            drop(p);
        }
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> manifests() == PLANS || !one.process.isAlive() || !two.process.isAlive());

        assertThat(one.output()).as("both nodes worked").contains("Starting");
        assertThat(two.output()).contains("Starting");
        JsonNode stats = Processes.simulatorRequests(simulator);
        System.out.println("most requests at once, two nodes: " + stats.path("max_in_flight"));
        assertThat(stats.path("max_in_flight").path("elevenlabs").asInt()).as("elevenlabs.max-concurrent=1 for the account").isEqualTo(1);
        assertThat(stats.path("max_in_flight").path("facerig 1").asInt()).as("one call at a time on the face_rig server").isEqualTo(1);
        assertThat(stats.path("requests").path("elevenlabs.tts").asInt()).isEqualTo(PLANS * SCENES);
    }

    @Test
    void should_make_no_paid_call_while_the_database_is_gone_and_finish_when_it_is_back() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=1500");
        URI database = URI.create(ClusterServices.JDBC_URL.replace("jdbc:", ""));
        try (TcpProxy proxy = new TcpProxy(database.getHost(), database.getPort())) {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Processes.Run node = processes.jar(node("outage-", simulator, "", "jdbc:postgresql://127.0.0.1:" + proxy.port()
                    + database.getPath()), List.of("-Dcamel.management.port=" + port));
            node.awaitLine("Health on ", Duration.ofSeconds(90));
            String health = "http://127.0.0.1:" + port;
            drop(1);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> creates(simulator) >= 1 || !node.process.isAlive());

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> status(health + "/observe/health/ready") == 200);
            proxy.cut();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> status(health + "/observe/health/ready") == 503);
            assertThat(readiness(health)).contains("\"cluster\",\"status\":\"DOWN\"")
                    .contains("the journal's database (pipeline.journal.jdbc-url) cannot be reached");
            node.awaitLine("The journal's database cannot be reached", Duration.ofMinutes(1));
            JsonNode before = Processes.simulatorRequests(simulator).path("requests");
            // the outage lasts while the node answers ten more readiness checks with 503 (every step waits for the database)
            int[] down = {0};
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> (status(health + "/observe/health/ready") == 503 ? ++down[0] : down[0]) >= 10);
            JsonNode during = Processes.simulatorRequests(simulator).path("requests");
            assertThat(during.path("replicate.create").asInt()).as("creates while the database was gone")
                    .isEqualTo(before.path("replicate.create").asInt());
            assertThat(during.path("elevenlabs.tts").asInt()).as("narrations while the database was gone")
                    .isEqualTo(before.path("elevenlabs.tts").asInt());
            assertThat(status(health + "/observe/health/ready")).isEqualTo(503);

            proxy.mend();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> manifests() == 1 || !node.process.isAlive());
            node.awaitLine("The journal's database answers again", Duration.ofSeconds(10));
            assertThat(Json.read(Files.readString(shared.resolve("outbox/cluster-1/manifest.json"))).path("status").asText())
                    .as(node.output()).isEqualTo("succeeded");
            Processes.simulatorRequests(simulator).path("creates_by_input").fields().forEachRemaining(e ->
                    assertThat(e.getValue().asInt()).as("creates of %s", e.getKey()).isEqualTo(1));
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> status(health + "/observe/health/ready") == 200);
            } finally {
                System.out.println("readiness: " + readiness(health));
            }
        }
    }

    @Test
    void should_pay_once_for_a_file_dropped_twice_and_a_message_sent_twice() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=300");
        // the same plan sent twice with one duplicate id (a node that died between the send and the file's removal):
        // the broker keeps one
        String plan = Files.readString(write(1, shared.resolve("plan-1.json")));
        try (var factory = new ActiveMQConnectionFactory(ClusterServices.BROKER_URL,
                ClusterServices.BROKER_USER, ClusterServices.BROKER_PASSWORD);
             var jms = factory.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            for (int i = 0; i < 2; i++) {
                var message = jms.createBytesMessage();
                message.writeBytes(plan.getBytes(StandardCharsets.UTF_8));
                message.setStringProperty("JMSXGroupID", "cluster-1");
                message.setStringProperty("_AMQ_DUPL_ID", "same-send");
                message.setStringProperty("ScenePipelineFile", "cluster-1.json");
                jms.createProducer().send(jms.createQueue(services.queue), message);
            }
        }
        Processes.Run node = processes.jar(node("twice-", simulator), List.of());
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> manifests() == 1 || !node.process.isAlive());
        // the same file dropped again once it is done, and under two names at once: each runs, from the journal
        drop(1);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> count(node, "plan=cluster-1 Pipeline succeeded") == 2 || !node.process.isAlive());
        Path inbox = shared.resolve("inbox");
        write(1, inbox.resolve(".a.tmp"));
        write(1, inbox.resolve(".b.tmp"));
        Files.move(inbox.resolve(".a.tmp"), inbox.resolve("copy-a.json"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(inbox.resolve(".b.tmp"), inbox.resolve("copy-b.json"), StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> count(node, "plan=cluster-1 Pipeline succeeded") == 4 || !node.process.isAlive());

        assertThat(count(node, "plan=cluster-1 Starting")).as(node.output()).isEqualTo(4);
        JsonNode creates = Processes.simulatorRequests(simulator).path("creates_by_input");
        assertThat(creates).hasSize(SCENES * 2);
        creates.fields().forEachRemaining(e -> assertThat(e.getValue().asInt()).as("creates of %s", e.getKey()).isEqualTo(1));
        assertThat(Processes.simulatorRequests(simulator).path("requests").path("elevenlabs.tts").asInt()).isEqualTo(SCENES);
        assertThat(shared.resolve("dead-letter")).isEmptyDirectory();
    }

    @Test
    void should_take_over_a_file_a_dead_node_had_claimed_in_the_inbox() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=300");
        // this node claims the file, then waits a minute for it to settle: long enough to die holding the claim
        Processes.Run dying = processes.jar(node("claimer-", simulator, "", null, "pipeline.inbox.min-age=60000"), List.of());
        dying.awaitLine("Watching", Duration.ofSeconds(90));
        drop(1);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> services.count("SELECT count(*) FROM CAMEL_MESSAGEPROCESSED") == 1);
        dying.process.destroyForcibly().waitFor();

        Processes.Run other = processes.jar(node("taker-", simulator), List.of());
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> manifests() == 1 || !other.process.isAlive());
        assertThat(other.output()).contains("plan=cluster-1 Queued for the cluster");
        assertThat(Json.read(Files.readString(shared.resolve("outbox/cluster-1/manifest.json"))).path("status").asText()).isEqualTo("succeeded");
        assertThat(shared.resolve("inbox")).as("no lock file left behind").isEmptyDirectory();
    }

    private static long count(Processes.Run run, String text) {
        return run.lines.stream().filter(l -> l.contains(text)).count();
    }

    private static String readiness(String health) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(health + "/observe/health/ready?exposureLevel=full")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int status(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void signal(String signal, Process process) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor()).isZero();
    }

    /** A node's own folder, its work inside, on the shared folders. */
    private Path node(String name, String simulator) throws IOException {
        return node(name, simulator, "");
    }

    /** As {@link #node(String, String)}, with parameters for the broker URL. */
    private Path node(String name, String simulator, String brokerParameters) throws IOException {
        return node(name, simulator, brokerParameters, null);
    }

    /** As {@link #node(String, String, String)}, with the database reached at another address (null: as it is). */
    private Path node(String name, String simulator, String brokerParameters, String jdbcAddress, String... extra) throws IOException {
        List<String> settings = new ArrayList<>(services.nodeSettings());
        settings.replaceAll(s -> s.startsWith("pipeline.cluster.broker-url=") ? s + brokerParameters : s);
        if (jdbcAddress != null) {
            settings.replaceAll(s -> s.startsWith("pipeline.journal.jdbc-url=")
                    ? s.replace(ClusterServices.JDBC_URL, jdbcAddress) : s);
        }
        settings.addAll(List.of("pipeline.inbox=" + shared.resolve("inbox"), "pipeline.outbox=" + shared.resolve("outbox"),
                "pipeline.dead-letter=" + shared.resolve("dead-letter"), "pipeline.artifacts=" + shared.resolve("artifacts"),
                "pipeline.journal.lease=3s", "pipeline.plan-concurrency=2", "assembly.enabled=false",
                "elevenlabs.max-concurrent=1", "facerig.max-concurrent=1"));
        settings.addAll(List.of(extra));
        return Processes.workFolder(name, simulator, settings.toArray(String[]::new));
    }

    private void drop(int p) throws IOException {
        Path inbox = Files.createDirectories(shared.resolve("inbox"));
        Path tmp = write(p, inbox.resolve(".plan-" + p + ".tmp"));
        Files.move(tmp, inbox.resolve("cluster-" + p + ".json"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Plan {@code p}, {@link #SCENES} scenes with prompts of its own, written to {@code file}. */
    private static Path write(int p, Path file) throws IOException {
        StringBuilder scenes = new StringBuilder();
        for (int s = 1; s <= SCENES; s++) {
            scenes.append(s > 1 ? "," : "").append("{\"scene_number\": ").append(s).append(", \"scene_type\": \"video\", ")
                    .append("\"narration\": \"Narration ").append(p).append('.').append(s).append("\", ")
                    .append("\"visual_description\": \"Cluster plan ").append(p).append(" scene ").append(s).append("\", \"duration\": 4}");
        }
        String plan = "{\"title\": \"Cluster plan " + p + "\", \"plan_id\": \"cluster-" + p + "\", \"scenes\": [" + scenes + "]}";
        Files.createDirectories(file.getParent());
        return Files.writeString(file, plan);
    }

    private long manifests() throws IOException {
        Path outbox = shared.resolve("outbox");
        if (!Files.isDirectory(outbox)) {
            return 0;
        }
        try (var dirs = Files.list(outbox)) {
            return dirs.filter(d -> Files.exists(d.resolve("manifest.json"))).count();
        }
    }

    private static int creates(String simulator) throws Exception {
        int n = 0;
        for (var it = Processes.simulatorRequests(simulator).path("creates_by_input").elements(); it.hasNext(); ) {
            n += it.next().asInt();
        }
        return n;
    }
}
