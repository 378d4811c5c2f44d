package io.scenepipeline.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Files that a reader never sees half-written: every write goes to a temporary name in the target's folder,
 * is flushed to disk, then renamed into place.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = temporary(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Streams {@code in} to {@code target}; returns the number of bytes written. */
    public static long write(Path target, InputStream in) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = temporary(target);
        try {
            long n;
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                n = in.transferTo(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            move(tmp, target);
            return n;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Renames {@code source} to {@code target}, atomically where the file system allows it. */
    public static void move(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            // another file system (a node's work folder and a shared outbox): copied beside the target, renamed
            // there in one step, so the target is never seen half made; then the source goes
            Path incoming = target.resolveSibling("." + target.getFileName() + ".incoming-" + UUID.randomUUID());
            try {
                copyTree(source, incoming);
                Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteTree(incoming);
            }
            deleteTree(source);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> all = Files.walk(source)) {
            for (Path from : (Iterable<Path>) all::iterator) {
                Path to = target.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    /**
     * {@code dir/base + ext}, or {@code dir/base-2 + ext}, {@code -3}, … : the first name not taken. The name is
     * claimed by creating the file empty, so two writers never pick the same one.
     */
    public static Path claimUnique(Path dir, String base, String ext) throws IOException {
        Files.createDirectories(dir);
        for (int i = 1; ; i++) {
            Path candidate = dir.resolve(i == 1 ? base + ext : base + "-" + i + ext);
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException taken) {
                // try the next suffix
            }
        }
    }

    /** Checks that {@code child}, once resolved, lies inside {@code folder}. */
    public static Path inside(Path folder, Path child) {
        Path base = folder.toAbsolutePath().normalize();
        Path resolved = base.resolve(child).normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw new IllegalArgumentException("refusing a path outside " + base + ": " + child);
        }
        return resolved;
    }

    /** How many names (hard links) a file has; 1 where the file system does not say. */
    public static int names(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Path temporary(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().getId() + "." + System.nanoTime() + ".tmp");
    }
}
