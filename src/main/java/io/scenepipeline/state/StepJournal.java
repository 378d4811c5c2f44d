package io.scenepipeline.state;

import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The step journal under {@code pipeline.work/journal}: what every finished step produced, keyed by its inputs,
 * so no paid call is made twice. Layout:
 * <pre>
 *   steps/&lt;key&gt;.json          a finished step ({@link StepEntry})
 *   artifacts/&lt;sha256&gt;&lt;ext&gt;  its output, content-addressed
 *   predictions/&lt;key&gt;.json    a Replicate prediction started but not finished ({@link PendingPrediction})
 * </pre>
 * Every file is written to a temporary name, flushed and renamed, and an entry is written only after its artifact,
 * so a crash never leaves an entry that points at a half file. Safe for concurrent use.
 */
public final class StepJournal {

    private static final Logger LOG = LoggerFactory.getLogger("scene-pipeline");
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    private final Path steps;
    private final Path artifacts;
    private final Path predictions;

    /** Artifacts this process has hashed, with the size and mtime they had then: unchanged ones are not read again. */
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    public StepJournal(Path root) {
        this.steps = root.resolve("steps");
        this.artifacts = root.resolve("artifacts");
        this.predictions = root.resolve("predictions");
        try {
            Files.createDirectories(steps);
            Files.createDirectories(artifacts);
            Files.createDirectories(predictions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * True when the artifact's content still has {@code sha256}. Hashing a clip means reading all of it, so an artifact
     * already verified by this process whose size and modification time have not changed since is trusted (outputs are
     * hard links to artifacts: editing one in place changes its mtime, and it is hashed again).
     */
    private boolean intact(Path artifact, String sha256) throws IOException {
        String stamp = Files.size(artifact) + ":" + Files.getLastModifiedTime(artifact).toMillis();
        if (stamp.equals(verified.get(sha256))) {
            return true;
        }
        boolean ok = sha256.equals(hash(artifact));
        if (ok) {
            verified.put(sha256, stamp);
        }
        return ok;
    }

    /** The finished step with this key, if its artifact is still intact. */
    public Optional<StepEntry> find(String key) {
        Path file = steps.resolve(checked(key) + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            StepEntry entry = Json.MAPPER.readValue(file.toFile(), StepEntry.class);
            Path artifact = artifacts.resolve(entry.artifact());
            if (!Files.isRegularFile(artifact) || Files.size(artifact) != entry.size() || !intact(artifact, entry.sha256())) {
                LOG.warn("Journal entry {} ({}) points at a missing or damaged file; the step will run again", key, entry.step());
                return Optional.empty();
            }
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            return Optional.of(entry);
        } catch (IOException e) {
            LOG.warn("Journal entry {} cannot be read ({}); the step will run again", key, e.getMessage());
            return Optional.empty();
        }
    }

    /** Keeps {@code output} as the artifact of a finished step and writes the entry; returns the entry. */
    public StepEntry record(String key, String step, String provider, String model, Path output, String predictionId,
                            String requestId, String outputUrl, int attempts, long durationMs) throws IOException {
        String sha = hash(output);
        String name = sha + extension(output);
        Path artifact = artifacts.resolve(name);
        if (!Files.exists(artifact)) {
            Path tmp = artifacts.resolve("." + name + "." + Thread.currentThread().getId() + ".tmp");
            try {
                try {
                    Files.createLink(tmp, output);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(output, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                AtomicFiles.move(tmp, artifact);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        StepEntry entry = new StepEntry(key, step, provider, model, name, sha, Files.size(artifact), predictionId,
                requestId, outputUrl, attempts, durationMs, Instant.now().toString());
        AtomicFiles.write(steps.resolve(checked(key) + ".json"), Json.pretty(entry));
        Files.deleteIfExists(predictions.resolve(key + ".json"));
        return entry;
    }

    /** As {@link #record}, for an output that is not a file of the plan (e.g. a face_rig timeline as JSON). */
    public StepEntry record(String key, String step, String provider, String model, byte[] output, String extension,
                            String requestId, int attempts, long durationMs) throws IOException {
        Path tmp = artifacts.resolve(".out-" + UUID.randomUUID() + extension);
        try {
            Files.write(tmp, output);
            return record(key, step, provider, model, tmp, null, requestId, null, attempts, durationMs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Puts a finished step's artifact at {@code target} (a hard link where possible, else a copy). */
    public void restore(StepEntry entry, Path target) throws IOException {
        Path artifact = artifacts.resolve(entry.artifact());
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        try {
            Files.createLink(target, artifact);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            Path tmp = target.resolveSibling("." + target.getFileName() + ".restore.tmp");
            Files.copy(artifact, tmp, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.move(tmp, target);
        }
    }

    public byte[] read(StepEntry entry) throws IOException {
        return Files.readAllBytes(artifacts.resolve(entry.artifact()));
    }

    public Optional<PendingPrediction> pending(String key) {
        Path file = predictions.resolve(checked(key) + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), PendingPrediction.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Journals a prediction before its create is sent, and again once the create answered. */
    public void pending(PendingPrediction prediction) throws IOException {
        AtomicFiles.write(predictions.resolve(checked(prediction.key()) + ".json"), Json.pretty(prediction));
    }

    public void forgetPending(String key) throws IOException {
        Files.deleteIfExists(predictions.resolve(checked(key) + ".json"));
    }

    /**
     * Removes entries not used for {@code retention}, then the artifacts no entry points at, and pending
     * predictions older than a day. Returns how many entries were removed.
     */
    public int purge(Duration retention) throws IOException {
        Instant cutoff = Instant.now().minus(retention);
        int removed = 0;
        Set<String> kept = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(steps, "*.json")) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(f);
                    removed++;
                } else {
                    try {
                        kept.add(Json.MAPPER.readValue(f.toFile(), StepEntry.class).artifact());
                    } catch (IOException unreadable) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(artifacts)) {
            for (Path f : files) {
                if (!kept.contains(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                }
            }
        }
        Instant staleCutoff = Instant.now().minus(Duration.ofDays(1));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(predictions, "*.json")) {
            for (Path f : files) {
                if (Files.getLastModifiedTime(f).toInstant().isBefore(staleCutoff)) {
                    Files.deleteIfExists(f);
                }
            }
        }
        return removed;
    }

    public static String hash(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot);
    }

    private static String checked(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a step key: " + key);
        }
        return key;
    }
}
