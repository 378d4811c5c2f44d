package io.scenepipeline.lifecycle;

import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.plan.PlanValidationException;
import io.scenepipeline.support.FileProblems;
import io.scenepipeline.support.Json;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Reading a plan file as untrusted input: only a regular file, never through a link (the open itself refuses one),
 * and never more than {@code pipeline.max-plan-bytes}, whatever size the file system reports.
 */
final class PlanFile {

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    private PlanFile() {
    }

    /** The file's bytes; a file that is not a readable regular file, or too large, fails the plan's validation. */
    static byte[] read(Path file, String name, long maxBytes) throws IOException {
        String kind = kind(file);
        if (kind != null) {
            throw new PlanValidationException(List.of("(file): " + notRegular(name, kind)));
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw tooLarge("is " + size + " bytes", maxBytes);
            }
            // the limit holds while reading too: the file may grow, or report a size it does not have
            byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16));
            if (bytes.length > maxBytes) {
                throw tooLarge("holds more than " + maxBytes + " bytes", maxBytes);
            }
            return bytes;
        } catch (FileSystemException e) {
            throw new PlanValidationException(List.of("(file): cannot read " + name + ": " + FileProblems.reason(e)));
        }
    }

    private static PlanValidationException tooLarge(String what, long maxBytes) {
        return new PlanValidationException(List.of("(file): " + what + "; plans are at most " + maxBytes
                + " bytes (pipeline.max-plan-bytes)"));
    }

    /**
     * True when the file holds one whole JSON document (or cannot be judged: unreadable, too large, not a regular
     * file; intake then says why). False while it is cut short or broken.
     */
    static boolean complete(Path file, long maxBytes) {
        if (kind(file) != null) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16));
            if (bytes.length > maxBytes || bytes.length == 0) {
                return true;
            }
            try (JsonParser parser = Json.MAPPER.getFactory().createParser(bytes)) {
                parser.skipChildren();
                while (parser.nextToken() != null) {
                    parser.skipChildren();
                }
                return true;
            } catch (IOException broken) {
                return false;
            }
        } catch (IOException unreadable) {
            return true;
        }
    }

    /** Null for a regular file; else what it is ("a symbolic link to /etc/passwd", "a named pipe (FIFO)", …). */
    static String kind(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
        if (a.isRegularFile()) {
            return hardLink(file);
        }
        if (a.isSymbolicLink()) {
            try {
                return "a symbolic link to " + Files.readSymbolicLink(file);
            } catch (IOException | UnsupportedOperationException e) {
                return "a symbolic link";
            }
        }
        if (a.isDirectory()) {
            return "a folder";
        }
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            switch (mode & S_IFMT) {
                case S_IFIFO:
                    return "a named pipe (FIFO)";
                case S_IFSOCK:
                    return "a socket";
                case S_IFCHR:
                    return "a character device";
                case S_IFBLK:
                    return "a block device";
                default:
                    return "not a regular file";
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "not a regular file";
        }
    }

    /** Null for a file with one name; else "a hard link (one of N names of one file)": read through, it could be anything. */
    private static String hardLink(Path file) {
        int names = AtomicFiles.names(file);
        return names > 1 ? "a hard link (one of " + names + " names of one file)" : null;
    }

    static String notRegular(String name, String kind) {
        return name + " is " + kind + ", not a regular file: only regular files are read from the inbox, never through a link";
    }
}
