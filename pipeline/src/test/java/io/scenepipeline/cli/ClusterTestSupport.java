package io.scenepipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the cluster ITs share: a schema and queue of their own (ClusterServices), shared folders, node folders of the
 * packaged jar, plans with prompts of their own, and the counts they check.
 */
abstract class ClusterTestSupport {

    static final int PLANS = 4;
    static final int SCENES = 2;

    final Processes processes = new Processes();
    ClusterServices services;
    Path shared;

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

    static long count(Processes.Run run, String text) {
        return run.lines.stream().filter(l -> l.contains(text)).count();
    }

    /** Where a node serves health and metrics: from its "Health on http://host:port/…" line (it runs on port 0). */
    static String management(Processes.Run node) {
        String line = node.awaitLine("Health on ", Duration.ofSeconds(90));
        Matcher m = Pattern.compile("Health on (http://[^/]+)/").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return m.group(1);
    }

    /** What a node's metrics say its paid steps cost ({@code scene_pipeline_cost_usd_total}) with {@code provider}, or all. */
    static double spent(String management, String provider) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(management + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("scene_pipeline_cost_usd_total{"))
                .filter(l -> provider == null || l.contains("provider=\"" + provider + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static String readiness(String health) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(health + "/observe/health/ready?exposureLevel=full")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static int status(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static void signal(String signal, Process process) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor()).isZero();
    }

    /** A node's own folder, its work inside, on the shared folders. */
    Path node(String name, String simulator) throws IOException {
        return node(name, simulator, "");
    }

    /** As {@link #node(String, String)}, with parameters for the broker URL. */
    Path node(String name, String simulator, String brokerParameters) throws IOException {
        return node(name, simulator, brokerParameters, null);
    }

    /** As {@link #node(String, String, String)}, with the database reached at another address (null: as it is). */
    Path node(String name, String simulator, String brokerParameters, String jdbcAddress, String... extra) throws IOException {
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

    void drop(int p) throws IOException {
        Path inbox = Files.createDirectories(shared.resolve("inbox"));
        Path tmp = write(p, inbox.resolve(".plan-" + p + ".tmp"));
        Files.move(tmp, inbox.resolve("cluster-" + p + ".json"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Plan {@code p}, {@link #SCENES} scenes with prompts of its own, written to {@code file}. */
    static Path write(int p, Path file) throws IOException {
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

    long manifests() throws IOException {
        return entries(shared.resolve("outbox"), d -> Files.exists(d.resolve("manifest.json")));
    }

    long deadLetters() throws IOException {
        return entries(shared.resolve("dead-letter"), f -> true);
    }

    /** How many entries of {@code folder} (none when it is not there yet) pass {@code which}. */
    private static long entries(Path folder, Predicate<Path> which) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var entries = Files.list(folder)) {
            return entries.filter(which).count();
        }
    }

    /** Each prompt in the simulator's {@code creates_by_input} was created exactly once. */
    static void eachCreatedOnce(JsonNode creates) {
        creates.fields().forEachRemaining(e -> assertThat(e.getValue().asInt()).as("creates of %s", e.getKey()).isEqualTo(1));
    }

    static int creates(String simulator) throws Exception {
        int n = 0;
        for (var it = Processes.simulatorRequests(simulator).path("creates_by_input").elements(); it.hasNext(); ) {
            n += it.next().asInt();
        }
        return n;
    }
}
