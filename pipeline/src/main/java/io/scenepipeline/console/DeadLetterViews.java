package io.scenepipeline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scenepipeline.support.Json;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The dead letters as the console lists them: each {@code <id>.json} of the dead-letter folder with its
 * {@code <id>.error.json}, read as untrusted (a report that does not parse still lists its plan, with why), and
 * filtered by provider, error kind and time.
 */
final class DeadLetterViews {

    /** A dead letter's id (its file name without {@code .json}) and a plan id the console accepts: no path in it. */
    static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final Path folder;

    DeadLetterViews(Path folder) {
        this.folder = folder;
    }

    Path folder() {
        return folder;
    }

    /** Which dead letters: by provider, by kind of error, failed since when; null fields match all. */
    record Filter(String provider, String kind, Instant since) {
        static final Filter ALL = new Filter(null, null, null);

        static Filter of(JsonNode body) {
            String since = text(body, "since");
            Instant from = null;
            if (since != null) {
                try {
                    from = Instant.parse(since);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("since: not an ISO-8601 instant (e.g. 2026-12-07T10:00:00Z): " + since);
                }
            }
            return new Filter(text(body, "provider"), text(body, "kind"), from);
        }

        boolean matches(Letter l) {
            return (provider == null || provider.equalsIgnoreCase(l.provider()) || provider.replace("_", "")
                    .equalsIgnoreCase(l.provider().replace("_", "")))
                    && (kind == null || l.kind().equals(kind) || l.kind().startsWith(kind + "_"))
                    && (since == null || l.failedAt() != null && !l.failedAt().isBefore(since));
        }

        private static String text(JsonNode body, String field) {
            JsonNode v = body == null ? null : body.get(field);
            return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText().trim();
        }
    }

    /** One dead letter: its id, its plan file, and what its report says (a missing node when it has none). */
    record Letter(String id, Path plan, JsonNode report, Instant failedAt) {

        String planId() {
            return report.path("plan_id").isTextual() ? report.path("plan_id").asText() : id;
        }

        String provider() {
            return report.path("provider").isTextual() ? report.path("provider").asText() : "";
        }

        /**
         * The kind of error, for filters: {@code validation}, {@code canceled}, {@code budget}, {@code http_4xx_<status>}
         * / {@code http_5xx_<status>}, {@code transient} (a retryable failure that outlasted its retries),
         * {@code permanent}, or {@code unreadable} (no report).
         */
        String kind() {
            if (report.isMissingNode()) {
                return "unreadable";
            }
            String stage = report.path("stage").asText("");
            String error = report.path("error").asText("").toLowerCase(Locale.ROOT);
            if ("validation".equals(stage)) {
                return "validation";
            }
            if (error.startsWith("canceled by the operator")) {
                return "canceled";
            }
            if (error.contains("max-cost-per-plan")) {
                return "budget";
            }
            if (report.path("http_status").isInt()) {
                int status = report.path("http_status").asInt();
                return "http_" + (status / 100) + "xx_" + status;
            }
            return report.path("retryable").asBoolean(false) ? "transient" : "permanent";
        }

        ObjectNode summary() {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("plan_id", planId());
            n.put("dead_letter_id", id);
            n.put("status", PlanViews.DEAD_LETTERED);
            PlanViews.copyText(report, n, "title", "started_at", "failed_at", "stage", "provider", "error");
            if (report.path("scene_number").isInt()) {
                n.put("scene_number", report.path("scene_number").asInt());
            }
            if (report.path("http_status").isInt()) {
                n.put("http_status", report.path("http_status").asInt());
            }
            if (report.path("cost_usd").isNumber()) {
                n.put("cost_usd", report.path("cost_usd").asDouble());
            }
            if (report.path("scenes").isArray()) {
                n.put("scenes_total", report.path("scenes").size());
            }
            n.put("scenes_done", report.path("completed_scenes").size());
            n.put("kind", kind());
            if (report.isMissingNode()) {
                n.put("error", "its report (" + id + ".error.json) is missing or unreadable");
            }
            n.put("at", failedAt == null ? "" : failedAt.toString());
            return n;
        }

        ObjectNode detail() {
            ObjectNode n = summary();
            if (report.path("scenes").isArray()) {
                n.set("scenes", report.path("scenes"));
            }
            if (report.path("problems").isArray()) {
                n.set("problems", report.path("problems"));
            }
            return n;
        }
    }

    /** The dead letters that match, newest first. */
    List<Letter> list(Filter filter) throws IOException {
        List<Letter> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.json")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".error.json") || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String id = name.substring(0, name.length() - ".json".length());
                if (!SAFE_NAME.matcher(id).matches()) {
                    continue;
                }
                Letter l = letter(id, f);
                if (filter.matches(l)) {
                    out.add(l);
                }
            }
        }
        out.sort(Comparator.comparing((Letter l) -> l.failedAt() == null ? Instant.EPOCH : l.failedAt()).reversed());
        return out;
    }

    /** The dead letter {@code id}, when there is one. */
    Optional<Letter> get(String id) throws IOException {
        if (!SAFE_NAME.matcher(id).matches()) {
            return Optional.empty();
        }
        Path plan = folder.resolve(id + ".json");
        return Files.isRegularFile(plan, LinkOption.NOFOLLOW_LINKS) ? Optional.of(letter(id, plan)) : Optional.empty();
    }

    /** The newest dead letter of plan {@code planId}. */
    Optional<Letter> newestOf(String planId) throws IOException {
        return list(Filter.ALL).stream().filter(l -> l.planId().equals(planId)).findFirst();
    }

    private Letter letter(String id, Path plan) throws IOException {
        Path report = folder.resolve(id + ".error.json");
        JsonNode r = Files.isRegularFile(report, LinkOption.NOFOLLOW_LINKS) ? PlanViews.readJson(report) : Json.MAPPER.missingNode();
        Instant at;
        try {
            at = Instant.parse(r.path("failed_at").asText(""));
        } catch (DateTimeParseException e) {
            at = Files.getLastModifiedTime(plan).toInstant();
        }
        return new Letter(id, plan, r, at);
    }
}
