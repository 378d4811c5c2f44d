package io.scenepipeline.bench;

import io.scenepipeline.cli.ClusterServices;
import io.scenepipeline.cli.TcpProxy;
import io.scenepipeline.support.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A chaos campaign against cluster mode: three nodes of the packaged jar on one shared inbox, PostgreSQL and Artemis
 * (each reached through a TCP relay the nemesis can cut), the standalone simulator; a stream of plans, and a nemesis
 * that kills nodes (kill -9, SIGTERM), freezes them past their lease (SIGSTOP), takes the database and the broker away
 * (or restarts them for real), and makes the providers fail in bursts. Then it heals everything, waits until every
 * plan has ended, and {@link ChaosChecks} checks what must hold. {@code bench/run chaos [minutes]} runs a long one;
 * {@code ChaosIT} a short one in the suite.
 */
public final class ChaosCampaign implements AutoCloseable {

    /** The kinds of fault the nemesis injects. */
    enum Fault { KILL, TERM, FREEZE, DATABASE, BROKER, PROVIDERS }

    /**
     * @param length       how long plans are dropped and faults injected
     * @param dropEvery    one plan every
     * @param pause        the quiet time between two faults
     * @param schedule     the faults in order, repeated; empty: chosen at random
     * @param realRestarts the database and broker faults restart the real servers (root, pg_ctlcluster, ARTEMIS_DIR)
     */
    public record Settings(Duration length, Duration dropEvery, Duration pause, List<Fault> schedule, long seed,
                           boolean realRestarts) {
    }

    /** A fault as it happened: what, to whom, from when to when (epoch ms). */
    record Injected(Fault fault, String target, long from, long to) {
    }

    static final int NODES = 3;
    static final int SCENES = 2;
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration BROKER_TTL = Duration.ofSeconds(4);

    final Path root;
    final Settings settings;
    final ClusterServices services;
    final List<Injected> injected = new CopyOnWriteArrayList<>();
    final List<String> plans = new CopyOnWriteArrayList<>();
    final ReadinessProbes probes;
    final ChaosNodes nodes;
    final String simulator;
    private final Process simulatorProcess;
    private final TcpProxy database;
    private final TcpProxy broker;
    private final Random random;

    /**
     * {@code bench/run chaos [minutes] [--real-restarts]}: a campaign of that length (30 minutes by default), a plan every
     * 10 s, a random fault every 10 s; the report is printed and kept in target/bench/chaos/result.txt. Exit status 1
     * when an invariant broke.
     */
    public static void main(String[] args) throws Exception {
        int minutes = args.length > 0 && args[0].matches("\\d+") ? Integer.parseInt(args[0]) : 30;
        boolean real = List.of(args).contains("--real-restarts");
        Path root = Path.of("target", "bench", "chaos").toAbsolutePath();
        io.scenepipeline.support.AtomicFiles.deleteTree(root);
        ChaosChecks.Result result;
        long seed = System.nanoTime();
        System.out.printf("chaos campaign: %d minutes, seed %d%s%n", minutes, seed, real ? ", real restarts" : "");
        try (ChaosCampaign campaign = new ChaosCampaign(root, new Settings(Duration.ofMinutes(minutes), Duration.ofSeconds(10),
                Duration.ofSeconds(10), List.of(), seed, real))) {
            result = campaign.run();
        }
        System.out.print(result.table());
        Files.writeString(root.resolve("result.txt"), result.table());
        System.exit(result.violations().isEmpty() ? 0 : 1);
    }

    public ChaosCampaign(Path root, Settings settings) throws Exception {
        this.root = Files.createDirectories(root);
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.services = ClusterServices.require();
        URI db = URI.create(ClusterServices.JDBC_URL.replace("jdbc:", ""));
        URI mq = URI.create(ClusterServices.BROKER_URL);
        database = new TcpProxy(db.getHost(), db.getPort());
        broker = new TcpProxy(mq.getHost(), mq.getPort());
        simulatorProcess = new ProcessBuilder(ChaosNodes.java(), "-Dsimulator.prediction-ms=1000", "-Dsimulator.facerig-servers=3",
                "-cp", ChaosNodes.JAR.toString(), "io.scenepipeline.simulator.SimulatorMain")
                .redirectErrorStream(true).redirectOutput(root.resolve("simulator.log").toFile()).start();
        simulator = awaitSimulatorUrl();
        List<String> node = new ArrayList<>(services.nodeSettings());
        node.replaceAll(s -> s.startsWith("pipeline.cluster.broker-url=")
                ? "pipeline.cluster.broker-url=tcp://127.0.0.1:" + broker.port() + "?connectionTTL=" + BROKER_TTL.toMillis()
                        + "&clientFailureCheckPeriod=1000"
                : s.startsWith("pipeline.journal.jdbc-url=") ? s.replace(ClusterServices.JDBC_URL, "jdbc:postgresql://127.0.0.1:"
                        + database.port() + db.getPath()) : s);
        node.addAll(List.of("replicate.base-url=" + simulator, "elevenlabs.base-url=" + simulator, "facerig.base-url=" + simulator,
                "replicate.api-token=chaos-replicate-token", "elevenlabs.api-key=chaos-elevenlabs-key",
                "camel.management.port=0", "replicate.poll-interval=200", "pipeline.inbox.min-age=100",
                "retry.video.redeliveryDelay=200", "retry.facerig.redeliveryDelay=200", "retry.storyboard.redeliveryDelay=200",
                "pipeline.inbox=" + shared("inbox"), "pipeline.outbox=" + shared("outbox"), "pipeline.dead-letter=" + shared("dead-letter"),
                "pipeline.artifacts=" + shared("artifacts"), "pipeline.journal.lease=" + LEASE.toSeconds() + "s",
                "pipeline.plan-concurrency=2", "assembly.enabled=false", "elevenlabs.max-concurrent=1", "facerig.max-concurrent=1"));
        nodes = new ChaosNodes(root, NODES, node);
        probes = new ReadinessProbes(nodes);
    }

    Path shared(String folder) {
        return root.resolve("shared").resolve(folder);
    }

    /** Runs the campaign: nodes up, the stream and the nemesis, heal, drain; then checks. */
    public ChaosChecks.Result run() throws Exception {
        for (ChaosNodes.Node n : nodes.all()) {
            nodes.start(n);
        }
        Waits.until(Duration.ofMinutes(2), () -> nodes.all().stream().allMatch(n -> n.management != null), "the nodes to start");
        probes.start();
        Thread stream = new Thread(this::stream, "chaos-stream");
        stream.start();
        long end = System.nanoTime() + settings.length().toNanos();
        int i = 0;
        while (System.nanoTime() < end) {
            Fault fault = settings.schedule().isEmpty() ? Fault.values()[random.nextInt(Fault.values().length)]
                    : settings.schedule().get(i % settings.schedule().size());
            inject(fault);
            i++;
            Waits.sleep(settings.pause());
        }
        stream.join();
        heal();
        Duration drained = drain();
        probes.close();
        return new ChaosChecks(this).check(drained);
    }

    private void stream() {
        long end = System.nanoTime() + settings.length().toNanos();
        try {
            for (int p = 1; System.nanoTime() < end; p++) {
                drop(p);
                Waits.sleep(settings.dropEvery());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void drop(int p) throws IOException {
        String id = String.format("chaos-%03d", p);
        Path inbox = Files.createDirectories(shared("inbox"));
        StringBuilder scenes = new StringBuilder();
        for (int s = 1; s <= SCENES; s++) {
            // prompts and narrations of one length in every plan, so every plan's calls cost the same
            scenes.append(s > 1 ? "," : "").append("{\"scene_number\": ").append(s).append(", \"scene_type\": \"video\", ")
                    .append("\"narration\": \"").append(narration(id, s)).append("\", \"visual_description\": \"")
                    .append(prompt(id, s)).append("\", \"duration\": 4}");
        }
        Path tmp = Files.writeString(inbox.resolve("." + id + ".tmp"),
                "{\"title\": \"Chaos " + id + "\", \"plan_id\": \"" + id + "\", \"scenes\": [" + scenes + "]}");
        Files.move(tmp, inbox.resolve(id + ".json"), StandardCopyOption.ATOMIC_MOVE);
        plans.add(id);
    }

    static String prompt(String planId, int scene) {
        return "Chaos " + planId + " scene " + scene;
    }

    static String narration(String planId, int scene) {
        return "Narration of " + planId + " scene " + scene + ".";
    }

    private void inject(Fault fault) throws Exception {
        long from = System.currentTimeMillis();
        String target;
        switch (fault) {
            case KILL, TERM, FREEZE -> {
                List<ChaosNodes.Node> up = nodes.all().stream().filter(ChaosNodes.Node::answering).toList();
                if (up.isEmpty()) {
                    return;
                }
                ChaosNodes.Node node = up.get(random.nextInt(up.size()));
                target = node.name();
                if (fault == Fault.KILL) {
                    nodes.signal(node, "KILL");
                    ChaosNodes.ended(node, 30);
                    Waits.sleep(Duration.ofMillis(1000 + random.nextInt(3000)));
                    nodes.start(node);
                } else if (fault == Fault.TERM) {
                    nodes.signal(node, "TERM");
                    if (!ChaosNodes.ended(node, 90)) {
                        throw new IllegalStateException(node.name() + " did not stop within 90 s of SIGTERM");
                    }
                    nodes.start(node);
                } else {
                    // past the lease and the broker's connection TTL: its claims and its plans go to the other nodes
                    nodes.signal(node, "STOP");
                    Waits.sleep(LEASE.plus(BROKER_TTL).plusMillis(2000 + random.nextInt(6000)));
                    nodes.signal(node, "CONT");
                }
            }
            case DATABASE -> {
                target = settings.realRestarts() ? "PostgreSQL restarted" : "PostgreSQL cut off";
                outage(database, Services.POSTGRESQL);
            }
            case BROKER -> {
                target = settings.realRestarts() ? "Artemis restarted" : "Artemis cut off";
                outage(broker, Services.ARTEMIS);
            }
            default -> {
                target = "30% of provider calls";
                faultRate(0.3);
                Waits.sleep(Duration.ofMillis(6000 + random.nextInt(6000)));
                faultRate(0);
            }
        }
        injected.add(new Injected(fault, target, from, System.currentTimeMillis()));
        System.out.printf("%s %-9s %s (%.1f s)%n", Instant.ofEpochMilli(from), fault, target, (System.currentTimeMillis() - from) / 1000.0);
    }

    private void outage(TcpProxy relay, Services server) throws Exception {
        Duration down = Duration.ofMillis(3000 + random.nextInt(7000));
        if (settings.realRestarts()) {
            server.stop();
            Waits.sleep(down);
            server.start();
        } else {
            relay.cut();
            Waits.sleep(down);
            relay.mend();
        }
    }

    private void faultRate(double rate) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(simulator + "/_simulator/fault-rate?rate=" + rate))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** Everything back: servers reachable, providers sound, every node running and awake. */
    private void heal() throws Exception {
        database.mend();
        broker.mend();
        faultRate(0);
        for (ChaosNodes.Node n : nodes.all()) {
            if (n.stopped) {
                nodes.signal(n, "CONT");
            }
            if (!n.running()) {
                nodes.start(n);
            }
        }
    }

    /** Waits until every plan dropped has ended (outbox or dead letter) and no node holds a claim; how long it took. */
    private Duration drain() throws Exception {
        long start = System.nanoTime();
        Waits.until(Duration.ofMinutes(8), () -> ChaosChecks.ended(this) == plans.size()
                && services.count("SELECT count(*) FROM journal_claims") == 0, "every plan to end");
        return Duration.ofNanos(System.nanoTime() - start);
    }

    com.fasterxml.jackson.databind.JsonNode simulatorRequests() throws Exception {
        return Json.read(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(simulator + "/_simulator/requests")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private String awaitSimulatorUrl() throws Exception {
        Path log = root.resolve("simulator.log");
        String[] url = new String[1];
        Waits.until(Duration.ofSeconds(60), () -> {
            url[0] = Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.startsWith("http://")).findFirst().orElse(null) : null;
            return url[0] != null || !simulatorProcess.isAlive();
        }, "the simulator's URL");
        if (url[0] == null) {
            throw new IllegalStateException("the simulator printed no URL: " + Files.readString(log));
        }
        return url[0].trim();
    }

    @Override
    public void close() throws Exception {
        probes.close();
        nodes.close();
        simulatorProcess.destroyForcibly();
        database.close();
        broker.close();
    }
}
