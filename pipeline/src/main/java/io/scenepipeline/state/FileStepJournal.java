package io.scenepipeline.state;

import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The step journal under {@code pipeline.work/journal}. Layout:
 * <pre>
 *   steps/&lt;key&gt;.json          a finished step ({@link StepEntry})
 *   artifacts/&lt;sha256&gt;&lt;ext&gt;  its output, content-addressed ({@link ArtifactStore})
 *   predictions/&lt;key&gt;.json    a Replicate prediction started but not finished ({@link PendingPrediction})
 * </pre>
 * Every file is written to a temporary name, flushed and renamed, and an entry is written only after its artifact,
 * so a crash never leaves an entry that points at a half file.
 */
public final class FileStepJournal extends ArtifactJournal {

    private static final Logger LOG = Logs.of(FileStepJournal.class);
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    private final Path steps;
    private final Path predictions;

    public FileStepJournal(Path root) {
        super(new ArtifactStore(root.resolve("artifacts")));
        this.steps = root.resolve("steps");
        this.predictions = root.resolve("predictions");
        try {
            Files.createDirectories(steps);
            Files.createDirectories(predictions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<StepEntry> find(String key) {
        Path file = steps.resolve(checked(key) + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Optional<StepEntry> entry = artifacts.usable(key, () -> Json.MAPPER.readValue(file.toFile(), StepEntry.class));
        if (entry.isPresent()) {
            try {
                // pipeline.journal-retention counts from the last use
                Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            } catch (IOException e) {
                LOG.debug("Journal entry {} could not be marked used: {}", key, e.getMessage());
            }
        }
        return entry;
    }

    @Override
    protected StepEntry write(StepEntry entry) throws IOException {
        AtomicFiles.write(steps.resolve(checked(entry.key()) + ".json"), Json.pretty(entry));
        Files.deleteIfExists(predictions.resolve(entry.key() + ".json"));
        return entry;
    }

    @Override
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

    @Override
    public void pending(PendingPrediction prediction) throws IOException {
        AtomicFiles.write(predictions.resolve(checked(prediction.key()) + ".json"), Json.pretty(prediction));
    }

    @Override
    public void forgetPending(String key) throws IOException {
        Files.deleteIfExists(predictions.resolve(checked(key) + ".json"));
    }

    @Override
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
        // run at startup, under the work-folder lock: nothing is being stored meanwhile
        artifacts.retainOnly(kept, Instant.now().plusSeconds(1));
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

    static String checked(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a step key: " + key);
        }
        return key;
    }
}
