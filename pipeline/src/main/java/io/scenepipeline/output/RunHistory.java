package io.scenepipeline.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.Json;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan's earlier runs, so that a re-run keeps what they spent (docs/outputs.md): the runs its outbox folder's
 * manifest lists (its own history, then itself) and its dead letters (each failed run). Once the plan succeeds, its
 * dead letters are resolved: moved to {@code <dead-letter>/resolved/}, where they no longer count as failures.
 */
public final class RunHistory {

    /** Where a plan's dead letters go once it succeeded. */
    public static final String RESOLVED = "resolved";
    private static final long MOST_BYTES = 16L << 20;

    private final Path outbox;
    private final Path deadLetters;

    public RunHistory(Path outbox, Path deadLetters) {
        this.outbox = outbox;
        this.deadLetters = deadLetters;
    }

    /** The earlier runs of {@code planId}, oldest first: {@code status}, {@code started_at}, {@code ended_at}, {@code cost_usd}. */
    public List<Map<String, Object>> earlier(String planId) {
        List<Map<String, Object>> runs = new ArrayList<>();
        JsonNode manifest = read(outbox.resolve(planId).resolve("manifest.json"));
        for (JsonNode h : manifest.path("history")) {
            runs.add(entry(h.path("status").asText("?"), h.path("started_at").asText(null), h.path("ended_at").asText(null),
                    h.path("cost_usd").asDouble(0), h.path("error").asText(null)));
        }
        if (manifest.isObject()) {
            runs.add(entry("succeeded", manifest.path("started_at").asText(null), manifest.path("finished_at").asText(null),
                    manifest.path("cost_usd").asDouble(0), null));
        }
        for (Path letter : lettersOf(planId)) {
            JsonNode report = read(errorJson(letter));
            runs.add(entry("dead-lettered", report.path("started_at").asText(null), report.path("failed_at").asText(null),
                    report.path("cost_usd").asDouble(0), report.path("error").asText(null)));
        }
        runs.sort(Comparator.comparing(r -> String.valueOf(r.get("ended_at"))));
        return runs;
    }

    /** Moves the dead letters of {@code planId} (plan, report, page) to {@code resolved/}; returns where each went. */
    public List<Path> resolve(String planId) throws IOException {
        List<Path> moved = new ArrayList<>();
        for (Path letter : lettersOf(planId)) {
            String base = letter.getFileName().toString().replaceFirst("\\.json$", "");
            Path kept = AtomicFiles.claimUnique(deadLetters.resolve(RESOLVED), base, ".json");
            String keptBase = kept.getFileName().toString().replaceFirst("\\.json$", "");
            for (String ext : new String[] {".error.json", ".report.html"}) {
                Path part = deadLetters.resolve(base + ext);
                if (Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
                    AtomicFiles.move(part, deadLetters.resolve(RESOLVED).resolve(keptBase + ext));
                }
            }
            AtomicFiles.move(letter, kept);
            moved.add(kept);
        }
        return moved;
    }

    /** The dead letters ({@code <name>.json} with a report) whose report names {@code planId}. */
    private List<Path> lettersOf(String planId) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(deadLetters)) {
            return found;
        }
        try (DirectoryStream<Path> reports = Files.newDirectoryStream(deadLetters, "*.error.json")) {
            for (Path report : reports) {
                String name = report.getFileName().toString();
                Path letter = deadLetters.resolve(name.substring(0, name.length() - ".error.json".length()) + ".json");
                if (Files.isRegularFile(letter, LinkOption.NOFOLLOW_LINKS) && planId.equals(read(report).path("plan_id").asText(null))) {
                    found.add(letter);
                }
            }
        } catch (IOException e) {
            // a folder that cannot be listed has no dead letter to tell of
        }
        found.sort(Comparator.naturalOrder());
        return found;
    }

    private static Path errorJson(Path letter) {
        String name = letter.getFileName().toString();
        return letter.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".error.json");
    }

    private static Map<String, Object> entry(String status, String started, String ended, double cost, String error) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("status", status);
        e.put("started_at", started);
        e.put("ended_at", ended);
        e.put("cost_usd", cost);
        if (error != null && !error.isBlank()) {
            e.put("error", error);
        }
        return e;
    }

    /** An earlier run's file, read as untrusted (absent, too large or not JSON: a missing node). */
    private static JsonNode read(Path file) {
        return Json.readFile(file, MOST_BYTES);
    }
}
