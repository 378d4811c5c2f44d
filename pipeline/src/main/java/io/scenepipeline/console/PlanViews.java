package io.scenepipeline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.SceneResult;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.StepTimeline;
import io.scenepipeline.support.Json;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The plans an operator sees (docs/console.md): waiting in the inbox, running (live, with each step's timeline),
 * finished (the outbox's manifests) and dead-lettered (the dead letters' reports), newest first. What is read from disk
 * is read as untrusted: a file that does not parse is listed by its name with why, never trusted for a path.
 */
final class PlanViews {

    static final String WAITING = "waiting";
    static final String RUNNING = "running";
    static final String SUCCEEDED = "succeeded";
    static final String DEAD_LETTERED = "dead-lettered";

    private final Path inbox;
    private final Path outbox;
    private final DeadLetterViews deadLetters;
    private final Supplier<List<ObjectNode>> running;
    private final java.util.function.Function<String, Optional<ObjectNode>> detailOfRunning;
    /** Summaries of manifests by file, kept while the file is unchanged. */
    private final Map<Path, Cached> manifests = new ConcurrentHashMap<>();

    private record Cached(FileTime modified, ObjectNode summary) {
    }

    /**
     * @param running         the running plans' summaries (this node's, or in cluster mode every node's)
     * @param detailOfRunning a running plan's whole view, by its id
     */
    PlanViews(Path inbox, Path outbox, DeadLetterViews deadLetters, Supplier<List<ObjectNode>> running,
              java.util.function.Function<String, Optional<ObjectNode>> detailOfRunning) {
        this.detailOfRunning = detailOfRunning;
        this.inbox = inbox;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.running = running;
    }

    /** A running plan as the console shows it: its summary and every scene's steps with their timelines. */
    static ObjectNode live(PlanRun run, String node) {
        ObjectNode view = summary(run, node);
        view.set("scenes", Json.MAPPER.valueToTree(run.scenes()));
        return view;
    }

    /**
     * A running plan's summary, without its scenes (a plan of hundreds of scenes is a large view): its progress, its
     * spend, and per provider its calls in flight and its steps waiting, by what they wait for (the providers' panel).
     */
    static ObjectNode summary(PlanRun run, String node) {
        ObjectNode view = Json.MAPPER.createObjectNode();
        view.put("plan_id", run.planId());
        view.put("title", run.plan().title());
        view.put("status", RUNNING);
        view.put("started_at", run.startedAt().toString());
        view.put("scenes_total", run.plan().scenes().size());
        view.put("scenes_done", run.completedScenes().size());
        view.put("cost_usd", run.costUsd());
        if (run.canceled()) {
            view.put("canceling", true);
        }
        if (node != null) {
            view.put("node", node);
        }
        ObjectNode activity = view.putObject("activity");
        for (SceneResult scene : run.scenes()) {
            for (StepRecord step : scene.steps()) {
                StepTimeline.Span attempt = step.timeline().running();
                StepTimeline.Span wait = step.timeline().waiting();
                if (attempt == null && wait == null) {
                    continue;
                }
                ObjectNode p = activity.has(step.provider()) ? (ObjectNode) activity.get(step.provider()) : activity.putObject(step.provider());
                if (attempt != null) {
                    p.put("in_flight", p.path("in_flight").asInt() + 1);
                }
                if (wait != null) {
                    ObjectNode waiting = p.has("waiting") ? (ObjectNode) p.get("waiting") : p.putObject("waiting");
                    waiting.put(wait.outcome(), waiting.path(wait.outcome()).asInt() + 1);
                }
            }
        }
        view.put("at", run.startedAt().toString());
        return view;
    }

    /** Every plan, newest first, at most {@code limit}; {@code status} null for all. */
    List<ObjectNode> list(String status, int limit) throws IOException {
        List<ObjectNode> all = new ArrayList<>();
        if (status == null || status.equals(RUNNING)) {
            all.addAll(running.get());
        }
        if (status == null || status.equals(WAITING)) {
            all.addAll(waiting());
        }
        if (status == null || status.equals(SUCCEEDED)) {
            all.addAll(finished());
        }
        if (status == null || status.equals(DEAD_LETTERED)) {
            deadLetters.list(DeadLetterViews.Filter.ALL).forEach(d -> all.add(d.summary()));
        }
        all.sort(Comparator.comparing((ObjectNode n) -> n.path("at").asText("")).reversed());
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    /** One plan with its timeline: running, else finished, else dead-lettered (its newest dead letter). */
    Optional<ObjectNode> detail(String planId) throws IOException {
        Optional<ObjectNode> live = detailOfRunning.apply(planId);
        if (live.isPresent()) {
            return live;
        }
        if (DeadLetterViews.SAFE_NAME.matcher(planId).matches()) {
            Path manifest = outbox.resolve(planId).resolve("manifest.json");
            if (Files.isRegularFile(manifest)) {
                JsonNode read = readJson(manifest);
                if (read instanceof ObjectNode m) {
                    m.put("status", SUCCEEDED);
                    return Optional.of(m);
                }
            }
        }
        return deadLetters.newestOf(planId).map(DeadLetterViews.Letter::detail);
    }

    private List<ObjectNode> waiting() throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        if (!Files.isDirectory(inbox)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(inbox, "*.json")) {
            for (Path f : files) {
                if (!Files.isRegularFile(f) || f.getFileName().toString().startsWith(".")) {
                    continue;
                }
                ObjectNode n = Json.MAPPER.createObjectNode();
                String name = f.getFileName().toString();
                n.put("plan_id", name.substring(0, name.length() - ".json".length()));
                n.put("file", name);
                n.put("status", WAITING);
                n.put("at", Files.getLastModifiedTime(f).toInstant().toString());
                out.add(n);
            }
        }
        return out;
    }

    private List<ObjectNode> finished() throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        if (!Files.isDirectory(outbox)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(outbox)) {
            for (Path dir : dirs) {
                Path manifest = dir.resolve("manifest.json");
                if (!Files.isRegularFile(manifest)) {
                    continue;
                }
                FileTime modified = Files.getLastModifiedTime(manifest);
                Cached cached = manifests.get(manifest);
                if (cached == null || !cached.modified().equals(modified)) {
                    cached = new Cached(modified, manifestSummary(dir, manifest));
                    manifests.put(manifest, cached);
                }
                out.add(cached.summary());
            }
        }
        manifests.keySet().removeIf(p -> !Files.exists(p));
        return out;
    }

    private static ObjectNode manifestSummary(Path dir, Path manifest) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        JsonNode m = readJson(manifest);
        n.put("plan_id", m.path("plan_id").isTextual() ? m.path("plan_id").asText() : dir.getFileName().toString());
        n.put("status", SUCCEEDED);
        copyText(m, n, "title", "started_at", "finished_at", "final_video");
        n.put("scenes_total", m.path("scenes").size());
        n.put("scenes_done", m.path("scenes").size());
        if (m.path("cost_usd").isNumber()) {
            n.put("cost_usd", m.path("cost_usd").asDouble());
        }
        if (m.isMissingNode()) {
            n.put("error", "manifest.json cannot be read");
        }
        n.put("at", m.path("finished_at").asText(""));
        return n;
    }

    static void copyText(JsonNode from, ObjectNode to, String... fields) {
        for (String f : fields) {
            if (from.path(f).isTextual()) {
                to.put(f, from.path(f).asText());
            }
        }
    }

    /** The JSON in {@code file}, or a missing node when it is not JSON (never trusted further than that). */
    static JsonNode readJson(Path file) {
        return Json.readFile(file, 64L << 20);
    }

    static ArrayNode array(List<ObjectNode> nodes) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        nodes.forEach(a::add);
        return a;
    }
}
