package io.scenepipeline.state;

import io.scenepipeline.support.AtomicFiles;
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
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The journal's media: each finished step's output as {@code <sha256><ext>} in one folder ({@code pipeline.work/journal/artifacts},
 * or {@code pipeline.artifacts}, shared by the nodes of a cluster). A file is written to a temporary name and renamed,
 * so a name that exists is whole; the same content is stored once.
 */
public final class ArtifactStore {

    private static final Logger LOG = LoggerFactory.getLogger("scene-pipeline");

    private final Path folder;

    /** Artifacts this process has hashed, with the size and mtime they had then: unchanged ones are not read again. */
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    public ArtifactStore(Path folder) {
        this.folder = folder;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@link #store} kept: the artifact's name, hash and size. */
    public record Stored(String name, String sha256, long size) {
    }

    /** Keeps {@code output} (a hard link where possible, else a copy); returns its name. */
    public Stored store(Path output) throws IOException {
        String sha = hash(output);
        String name = sha + extension(output);
        Path artifact = folder.resolve(name);
        if (!Files.exists(artifact)) {
            Path tmp = folder.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
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
        return new Stored(name, sha, Files.size(artifact));
    }

    /** As {@link #store(Path)}, for an output that is not a file of the plan (e.g. a face_rig timeline as JSON). */
    public Stored store(byte[] output, String extension) throws IOException {
        Path tmp = folder.resolve(".out-" + UUID.randomUUID() + extension);
        try {
            Files.write(tmp, output);
            return store(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * True when the artifact is there with {@code size} bytes and the content {@code sha256}. Hashing a clip means reading
     * all of it, so an artifact already verified by this process whose size and modification time have not changed
     * since is trusted (outputs are hard links to artifacts: editing one in place changes its mtime, and it is hashed again).
     */
    public boolean intact(String name, String sha256, long size) throws IOException {
        Path artifact = folder.resolve(name);
        if (!Files.isRegularFile(artifact) || Files.size(artifact) != size) {
            return false;
        }
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

    /** Reads a journal entry from where a journal keeps it. */
    @FunctionalInterface
    public interface EntryReader {
        StepEntry read() throws IOException;
    }

    /**
     * The entry {@code reader} reads, when it reads and its artifact is intact; else empty, with a warning that the
     * step will run again.
     */
    public Optional<StepEntry> usable(String key, EntryReader reader) {
        try {
            StepEntry entry = reader.read();
            if (intact(entry.artifact(), entry.sha256(), entry.size())) {
                return Optional.of(entry);
            }
            LOG.warn("Journal entry {} ({}) points at a missing or damaged file; the step will run again", key, entry.step());
        } catch (IOException e) {
            LOG.warn("Journal entry {} cannot be read ({}); the step will run again", key, e.getMessage());
        }
        return Optional.empty();
    }

    /** Puts an artifact at {@code target} (a hard link where possible, else a copy). */
    public void restore(String name, Path target) throws IOException {
        Path artifact = folder.resolve(name);
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

    public byte[] read(String name) throws IOException {
        return Files.readAllBytes(folder.resolve(name));
    }

    /**
     * Deletes every artifact whose name is not in {@code kept} and that was last modified before {@code before} (in a
     * shared folder, what another node stored a moment ago and is about to record must stay).
     */
    public void retainOnly(Set<String> kept, Instant before) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path f : files) {
                if (!kept.contains(f.getFileName().toString()) && Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                    Files.deleteIfExists(f);
                }
            }
        }
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
}
