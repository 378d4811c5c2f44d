package io.scenepipeline.output;

import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.FileProblems;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.SafeText;
import io.scenepipeline.support.ShownPath;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dead-letter folder, written so that nothing is lost when it cannot be written. A dead letter (the submitted
 * plan, {@code <plan>.error.json}, {@code <plan>.report.html}) is first put together under
 * {@code pipeline.work/dead-letters/}, then moved into {@code pipeline.dead-letter}. When that fails (the folder is
 * gone, full, read-only, a plain file) the letter waits in the work folder: the failure is logged once, readiness is
 * down, and delivery is tried again every {@code pipeline.dead-letter.retry-interval} and at the next start.
 */
public final class DeadLetters {

    private static final Logger LOG = Logs.of(DeadLetters.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);
    private static final String PLAN = "plan.json";
    private static final String ERROR = "error.json";
    private static final String REPORT = "report.html";
    private static final String META = "meta.json";

    private final Path folder;
    private final Path waiting;
    /** Letters that wait for the dead-letter folder, with the reason the last delivery failed. */
    private final Map<Path, String> pending = new ConcurrentHashMap<>();

    public DeadLetters(Path folder, Path work) {
        this.folder = folder;
        // absolute: a letter is the same key in pending whether it came from send() or from listing the folder
        this.waiting = work.resolve("dead-letters").toAbsolutePath().normalize();
    }

    /** Where a dead letter's plan comes from: the bytes read, or the file itself (moved, never opened). */
    public record Source(byte[] bytes, Path file) {
        public static Source of(byte[] bytes) {
            return new Source(bytes, null);
        }

        /** The file: streamed (never through a link) when it can be read, else moved as it is. */
        public static Source of(Path file) {
            return new Source(null, file);
        }
    }

    /** The outcome: the plan copy in the dead-letter folder, or null with the reason it still waits. */
    public record Delivery(Path plan, String problem) {
    }

    /**
     * Puts the letter together in the work folder, then delivers it. Throws only when even the work folder cannot
     * take it (the caller then keeps the plan in flight).
     */
    public Delivery send(String planId, Source source, byte[] errorJson, byte[] reportHtml) throws IOException {
        String name = planId + "-" + STAMP.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
        // put together under a dot name, then renamed: a letter the retry sees is always whole
        Path staging = AtomicFiles.inside(waiting, Path.of("." + name));
        Path letter = AtomicFiles.inside(waiting, Path.of(name));
        Files.createDirectories(staging);
        try {
            AtomicFiles.write(staging.resolve(ERROR), errorJson);
            AtomicFiles.write(staging.resolve(REPORT), reportHtml);
            writeMeta(staging, planId, null);
            if (source.bytes() != null) {
                AtomicFiles.write(staging.resolve(PLAN), source.bytes());
            } else {
                stage(source.file(), staging.resolve(PLAN));
            }
            AtomicFiles.move(staging, letter);
        } catch (IOException e) {
            AtomicFiles.deleteTree(staging);
            throw e;
        }
        return deliver(letter);
    }

    private static void stage(Path file, Path target) throws IOException {
        if (AtomicFiles.names(file) > 1) {
            // a hard link: another name of some file, which could be anything (the key file): neither read nor kept
            // under a new name; the inbox's name for it goes, the file itself stays as it was under its other names
            Files.delete(file);
            return;
        }
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.isReadable(file)) {
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                AtomicFiles.write(target, in);
                return;
            } catch (AccessDeniedException unreadable) {
                // moved below
            }
        }
        AtomicFiles.move(file, target);
    }

    /** Moves a waiting letter into the dead-letter folder; on failure it stays waiting (logged once). */
    public synchronized Delivery deliver(Path letter) {
        Map<String, Object> meta;
        try {
            meta = readMeta(letter);
        } catch (IOException e) {
            return new Delivery(null, "cannot read the waiting dead letter " + letter + ": " + FileProblems.reason(e));
        }
        String planId = (String) meta.get("plan_id");
        try {
            String base = (String) meta.get("base");
            if (Files.exists(folder) && !Files.isDirectory(folder)) {
                throw new NotDirectoryException(folder.toString());
            }
            if (base == null) {
                Path claimed = AtomicFiles.claimUnique(folder, planId, ".json");
                base = claimed.getFileName().toString().replaceFirst("\\.json$", "");
                writeMeta(letter, planId, base);
            }
            moveIfThere(letter.resolve(ERROR), folder.resolve(base + ".error.json"));
            moveIfThere(letter.resolve(REPORT), folder.resolve(base + ".report.html"));
            Path plan = folder.resolve(base + ".json");
            moveIfThere(letter.resolve(PLAN), plan);
            AtomicFiles.deleteTree(letter);
            if (pending.remove(letter) != null) {
                LOG.info("plan={} Dead letter written after all -> {}", planId, ShownPath.of(plan));
            }
            return new Delivery(plan, null);
        } catch (IOException | RuntimeException e) {
            String problem = e instanceof IOException io ? FileProblems.cannotWrite("the dead-letter folder", ShownPath.of(folder), io)
                    : "cannot write the dead-letter folder " + ShownPath.of(folder) + ": " + SafeText.cap(e.getMessage(), 500);
            if (pending.put(letter, problem) == null) {
                LOG.error("plan={} {}; the plan and its report wait in {} and are written as soon as the folder takes them",
                        planId, problem, ShownPath.of(letter));
            }
            return new Delivery(null, problem);
        }
    }

    private static void moveIfThere(Path from, Path to) throws IOException {
        if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            AtomicFiles.move(from, to);
        }
    }

    /**
     * At startup: removes letters a dead run was still putting together (its plan stayed in flight and is resumed),
     * then tries to deliver the waiting ones.
     */
    public int recover() throws IOException {
        if (Files.isDirectory(waiting)) {
            try (DirectoryStream<Path> letters = Files.newDirectoryStream(waiting, ".*")) {
                for (Path partial : letters) {
                    AtomicFiles.deleteTree(partial);
                }
            }
        }
        return retry();
    }

    /** Tries every waiting letter again: found in the work folder at startup, or left by a failed delivery. */
    public int retry() {
        int delivered = 0;
        if (!Files.isDirectory(waiting)) {
            return 0;
        }
        try (DirectoryStream<Path> letters = Files.newDirectoryStream(waiting)) {
            for (Path letter : letters) {
                boolean whole = !letter.getFileName().toString().startsWith(".");
                if (whole && Files.isDirectory(letter, LinkOption.NOFOLLOW_LINKS) && deliver(letter).plan() != null) {
                    delivered++;
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the waiting dead letters in {}: {}", ShownPath.of(waiting), FileProblems.reason(e));
        }
        return delivered;
    }

    /** Letters waiting for the dead-letter folder, each with the reason (for readiness). */
    public List<String> waiting() {
        // a letter no longer in the work folder waits for nothing (delivered, or removed by hand): readiness comes back
        pending.keySet().removeIf(letter -> !Files.isDirectory(letter, LinkOption.NOFOLLOW_LINKS));
        return pending.values().stream().distinct().toList();
    }

    public int waitingCount() {
        return pending.size();
    }

    private static void writeMeta(Path letter, String planId, String base) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("plan_id", planId);
        meta.put("base", base);
        AtomicFiles.write(letter.resolve(META), Json.pretty(meta));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readMeta(Path letter) throws IOException {
        return Json.MAPPER.readValue(letter.resolve(META).toFile(), Map.class);
    }
}
