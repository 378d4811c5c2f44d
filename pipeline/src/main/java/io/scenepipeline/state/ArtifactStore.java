package io.scenepipeline.state;

import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
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
 * so a name that exists is whole; the same content is stored once. Nothing read from an entry is trusted: a name that
 * is not {@code <sha256><ext>} of the entry's own hash (a path, a link, another file) is a damaged entry. Outputs and
 * artifacts are independent copies, so that editing a delivered file cannot damage the journal, nor the other way round.
 */
public final class ArtifactStore {

    private static final Logger LOG = Logs.of(ArtifactStore.class);
    /** An artifact's name: the content's SHA-256 and the output's extension, nothing else (no folder, no dots). */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[0-9a-f]{64}(\\.[A-Za-z0-9]{1,10})?");

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

    /**
     * Keeps a copy of {@code output}; returns its name. A file of that name that is not intact (damaged since it was
     * stored) is replaced by the copy, never kept because its name matches.
     */
    public Stored store(Path output) throws IOException {
        String sha = hash(output);
        String name = sha + extension(output);
        Path artifact = folder.resolve(name);
        long size = Files.size(output);
        if (!Files.exists(artifact, java.nio.file.LinkOption.NOFOLLOW_LINKS) || !intact(name, sha, size)) {
            Path tmp = folder.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
            try {
                Files.copy(output, tmp, StandardCopyOption.REPLACE_EXISTING);
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
     * since is trusted (an artifact edited in place gets a new mtime, and is hashed again).
     */
    public boolean intact(String name, String sha256, long size) throws IOException {
        Path artifact = artifact(name, sha256);
        if (artifact == null || !Files.isRegularFile(artifact, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.size(artifact) != size) {
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
            if (artifact(entry.artifact(), entry.sha256()) == null) {
                LOG.warn("Journal entry {} ({}) names a file that is not one of the journal's own ({}); the step will run again",
                        key, io.scenepipeline.support.SafeText.oneLine(entry.step(), 40),
                        io.scenepipeline.support.SafeText.oneLine(entry.artifact(), 120));
                return Optional.empty();
            }
            if (intact(entry.artifact(), entry.sha256(), entry.size())) {
                return Optional.of(entry);
            }
            LOG.warn("Journal entry {} ({}) points at a missing or damaged file; the step will run again", key, entry.step());
        } catch (IOException e) {
            LOG.warn("Journal entry {} cannot be read ({}); the step will run again", key, e.getMessage());
        }
        return Optional.empty();
    }

    /** Puts a copy of an artifact at {@code target}. */
    public void restore(String name, Path target) throws IOException {
        Path artifact = checked(name);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".restore.tmp");
        try {
            Files.copy(artifact, tmp, StandardCopyOption.REPLACE_EXISTING, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            AtomicFiles.move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public byte[] read(String name) throws IOException {
        return Files.readAllBytes(checked(name));
    }

    /** The artifact called {@code name} for content {@code sha256}, or null when the name is not such an artifact's. */
    private Path artifact(String name, String sha256) {
        if (name == null || sha256 == null || !NAME.matcher(name).matches() || !name.startsWith(sha256)) {
            return null;
        }
        return folder.resolve(name);
    }

    private Path checked(String name) throws IOException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IOException("not a journal artifact: " + io.scenepipeline.support.SafeText.oneLine(String.valueOf(name), 120));
        }
        return folder.resolve(name);
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
