package io.scenepipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.cli.ClusterServices;
import io.scenepipeline.support.Json;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What must hold after a chaos campaign, checked as an operator would: the folders, the simulator's bill, the journal's
 * outcomes table, the broker's queue and dead-letter queue, and every line every node printed.
 */
final class ChaosChecks {

    /** What broke (empty: everything held) and what was counted. */
    record Result(List<String> violations, Map<String, Object> counts) {
        String table() {
            StringBuilder sb = new StringBuilder();
            counts.forEach((k, v) -> sb.append(String.format("%-34s %s%n", k, v)));
            sb.append(violations.isEmpty() ? "every invariant held\n" : violations.size() + " violations:\n");
            violations.stream().limit(40).forEach(v -> sb.append("  - ").append(v).append('\n'));
            return sb.toString();
        }
    }

    private final ChaosCampaign campaign;
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Object> counts = new LinkedHashMap<>();

    ChaosChecks(ChaosCampaign campaign) {
        this.campaign = campaign;
    }

    /** How many plans dropped so far have an outcome (a manifest or a dead letter). */
    static long ended(ChaosCampaign c) {
        return c.plans.stream().filter(id -> Files.exists(c.shared("outbox").resolve(id).resolve("manifest.json"))
                || Files.exists(c.shared("dead-letter").resolve(id + ".json"))).count();
    }

    Result check(Duration drained) throws Exception {
        counts.put("plans dropped", campaign.plans.size());
        Map<String, Long> faults = new java.util.TreeMap<>();
        campaign.injected.forEach(f -> faults.merge(f.fault().name().toLowerCase(), 1L, Long::sum));
        counts.put("faults injected", faults);
        Set<String> deadLettered = places();
        counts.put("succeeded / dead-lettered", (campaign.plans.size() - deadLettered.size()) + " / " + deadLettered.size());
        counts.put("drain after heal", drained.toSeconds() + " s");
        outcomes();
        spend(campaign.simulatorRequests());
        lines(deadLettered);
        leftovers();
        queues();
        counts.put("readiness probes (503)", campaign.probes.answered.get() + " (" + campaign.probes.down.get() + ")");
        ReadinessProbes probes = campaign.probes;
        counts.put("slowest readiness answer", probes.slowestMs.get() + " ms (" + probes.slow.size() + " over 1 s)");
        probes.unanswered.forEach(s -> violations.add("readiness probe unanswered: " + s));
        // a node starved of CPU for a moment (three JVMs, a broker and a database on two cores) is not an outage's doing,
        // but a readiness check that waits on a connection is: more than 1 % of answers over a second, or any over 3 s
        if (probes.slow.size() * 100 > probes.answered.get()) {
            probes.slow.forEach(s -> violations.add("readiness slower than 1 s: " + s));
        }
        return new Result(List.copyOf(violations), counts);
    }

    /** Each plan in exactly one place, complete; returns the dead-lettered ones. */
    private Set<String> places() throws IOException {
        Set<String> dead = new java.util.TreeSet<>();
        for (String id : campaign.plans) {
            Path manifest = campaign.shared("outbox").resolve(id).resolve("manifest.json");
            boolean published = Files.exists(manifest);
            boolean letter = Files.exists(campaign.shared("dead-letter").resolve(id + ".json"));
            if (published && letter) {
                violations.add(id + " is both published and dead-lettered");
            } else if (!published && !letter) {
                violations.add(id + " is lost: neither published nor dead-lettered");
            }
            if (letter) {
                dead.add(id);
            }
            if (published) {
                JsonNode m = Json.read(Files.readString(manifest));
                if (!m.path("status").asText().equals("succeeded") || m.path("scenes").size() != ChaosCampaign.SCENES) {
                    violations.add(id + "'s manifest is not a complete success: " + m.path("status").asText());
                }
                for (JsonNode scene : m.path("scenes")) {
                    scene.path("files").fields().forEachRemaining(f -> {
                        Path file = manifest.getParent().resolve(f.getValue().asText());
                        try {
                            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                                violations.add(id + ": " + f.getValue().asText() + " is missing or empty");
                            }
                        } catch (IOException e) {
                            violations.add(id + ": " + e);
                        }
                    });
                }
            }
        }
        return dead;
    }

    /** One decided outcome per plan run in the journal's database. */
    private void outcomes() throws Exception {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(ClusterServices.JDBC_URL + "?currentSchema=" + campaign.services.schema,
                ClusterServices.JDBC_USER, ClusterServices.JDBC_PASSWORD); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT plan_id, count(*) FROM journal_outcomes GROUP BY plan_id")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getInt(2));
            }
        }
        for (String id : campaign.plans) {
            if (rows.getOrDefault(id, 0) != 1) {
                violations.add(id + " has " + rows.getOrDefault(id, 0) + " outcomes in journal_outcomes");
            }
        }
    }

    /**
     * No prompt created twice; each narration paid once but for calls cut in flight (at most one per node fault); and
     * each plan's manifest or dead letter says what its calls cost, by the prices its manifests show.
     */
    private void spend(JsonNode sim) throws IOException {
        Map<String, Integer> creates = map(sim.path("creates_by_input"));
        Map<String, Integer> spoken = map(sim.path("spoken_by_text"));
        creates.forEach((input, n) -> {
            if (n > 1) {
                violations.add("created " + n + " times: " + input);
            }
        });
        int extra = spoken.values().stream().mapToInt(n -> Math.max(0, n - 1)).sum();
        long nodeFaults = campaign.injected.stream().filter(f -> f.fault().ordinal() <= ChaosCampaign.Fault.FREEZE.ordinal()).count();
        counts.put("creates / narrations paid", creates.values().stream().mapToInt(Integer::intValue).sum() + " / "
                + spoken.values().stream().mapToInt(Integer::intValue).sum());
        counts.put("narrations paid twice (cut in flight)", extra + " (node faults: " + nodeFaults + ")");
        if (extra > nodeFaults) {
            violations.add(extra + " narrations paid twice, more than the " + nodeFaults + " node faults could cut in flight");
        }
        Map<String, Double> price = prices();
        double recorded = 0;
        double billed = 0;
        for (String id : campaign.plans) {
            double plan = 0;
            for (int s = 1; s <= ChaosCampaign.SCENES; s++) {
                String prompt = ChaosCampaign.prompt(id, s);
                for (Map.Entry<String, Integer> e : creates.entrySet()) {
                    if (e.getKey().contains(prompt)) {
                        plan += price.getOrDefault(e.getKey().substring(0, e.getKey().indexOf(" | ")), Double.NaN);
                    }
                }
                if (spoken.getOrDefault(ChaosCampaign.narration(id, s), 0) > 0) {
                    plan += price.getOrDefault("text-to-speech", Double.NaN);
                }
            }
            Path manifest = campaign.shared("outbox").resolve(id).resolve("manifest.json");
            Path letter = campaign.shared("dead-letter").resolve(id + ".error.json");
            Path said = Files.exists(manifest) ? manifest : letter;
            if (!Files.exists(said)) {
                continue;
            }
            double cost = Json.read(Files.readString(said)).path("cost_usd").asDouble();
            recorded += cost;
            billed += plan;
            if (Math.abs(cost - plan) > 1e-6) {
                violations.add(String.format("%s says it spent US$%.4f where its calls cost US$%.4f (%s)", id, cost, plan, said.getFileName()));
            }
        }
        counts.put("spent: recorded / billed", String.format("US$%.4f / US$%.4f", recorded, billed));
    }

    /** The price of each model's create and of a narration, as the manifests show them (every plan is alike). */
    private Map<String, Double> prices() throws IOException {
        Map<String, Double> price = new HashMap<>();
        for (String id : campaign.plans) {
            Path manifest = campaign.shared("outbox").resolve(id).resolve("manifest.json");
            if (!Files.exists(manifest)) {
                continue;
            }
            for (JsonNode scene : Json.read(Files.readString(manifest)).path("scenes")) {
                for (JsonNode step : scene.path("steps")) {
                    if (!step.path("reused").asBoolean() && step.path("cost_usd").asDouble() > 0) {
                        price.put(step.path("provider").asText().equals("elevenlabs") ? "text-to-speech" : step.path("model").asText(),
                                step.path("cost_usd").asDouble());
                    }
                }
            }
        }
        return price;
    }

    /**
     * Every plan's outcome said once across all nodes; no ERROR line without a fault behind it (a line about a plan
     * that ended in the dead letters, or about a plan or the breaker in a provider fault burst); no stack trace.
     */
    private void lines(Set<String> deadLettered) {
        List<String> all = new ArrayList<>();
        campaign.nodes.all().forEach(n -> n.lines.forEach(l -> all.add(n.name() + ": " + l)));
        for (String id : campaign.plans) {
            long said = all.stream().filter(l -> l.contains("plan=" + id + " Pipeline succeeded") || l.contains("plan=" + id + " Pipeline failed")).count();
            if (said != 1) {
                violations.add(id + "'s outcome was said " + said + " times: " + all.stream().filter(l -> l.contains("plan=" + id + " Pipeline")).toList());
            }
        }
        int errors = 0;
        for (String line : all) {
            if (line.contains(" ERROR ")) {
                errors++;
                // the provider faults behind it: its plan ended in the dead letters, or it came in a burst of them
                boolean planFault = deadLettered.stream().anyMatch(id -> line.contains("plan=" + id + " "));
                boolean burst = (line.contains(" ERROR plan=") || line.contains("Breaker open"))
                        && during(line, ChaosCampaign.Fault.PROVIDERS, Duration.ofSeconds(60));
                if (!planFault && !burst) {
                    violations.add("ERROR without a fault behind it: " + line);
                }
            }
            if (line.contains("\tat ")) {
                violations.add("stack trace: " + line);
            }
        }
        counts.put("ERROR lines", errors);
    }

    /** True when the line's time falls within a fault of this kind (or {@code after} it). */
    private boolean during(String line, ChaosCampaign.Fault kind, Duration after) {
        int at = line.indexOf(": ") + 2;
        Instant when;
        try {
            when = Instant.parse(line.substring(at, line.indexOf(' ', at)));
        } catch (RuntimeException e) {
            return false;
        }
        return campaign.injected.stream().anyMatch(f -> f.fault() == kind && when.toEpochMilli() >= f.from()
                && when.toEpochMilli() <= f.to() + after.toMillis());
    }

    /** Nothing left in any node's staging or in-flight folder, nor in the shared inbox. */
    private void leftovers() throws IOException {
        for (ChaosNodes.Node n : campaign.nodes.all()) {
            for (String folder : List.of("work/staging", "work/inflight")) {
                Path dir = n.work.resolve(folder);
                if (Files.isDirectory(dir)) {
                    try (var left = Files.list(dir)) {
                        left.forEach(p -> violations.add(n.name() + " left " + n.work.relativize(p)));
                    }
                }
            }
        }
        Predicate<Path> plan = p -> p.getFileName().toString().endsWith(".json");
        try (var left = Files.list(campaign.shared("inbox"))) {
            left.filter(plan).forEach(p -> violations.add("left in the inbox: " + p.getFileName()));
        }
    }

    /** The plans queue and the broker's DLQ hold nothing of this campaign. */
    private void queues() throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(ClusterServices.BROKER_URL);
             JMSContext jms = factory.createContext(ClusterServices.BROKER_USER, ClusterServices.BROKER_PASSWORD)) {
            String queue = campaign.services.queue;
            int waiting = browse(jms, queue, m -> true);
            int dead = browse(jms, "DLQ", m -> queue.equals(property(m)));
            counts.put("queue / DLQ at the end", waiting + " / " + dead);
            if (waiting + dead > 0) {
                violations.add(waiting + " messages left on " + queue + ", " + dead + " in the DLQ");
            }
        }
    }

    private static String property(Message m) {
        try {
            return m.getStringProperty("_AMQ_ORIG_QUEUE");
        } catch (Exception e) {
            return null;
        }
    }

    private static int browse(JMSContext jms, String queue, Predicate<Message> which) throws Exception {
        int n = 0;
        try (QueueBrowser browser = jms.createBrowser(jms.createQueue(queue))) {
            for (Message m : Collections.list((java.util.Enumeration<Message>) browser.getEnumeration())) {
                n += which.test(m) ? 1 : 0;
            }
        }
        return n;
    }

    private static Map<String, Integer> map(JsonNode node) {
        Map<String, Integer> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
        return out;
    }
}
