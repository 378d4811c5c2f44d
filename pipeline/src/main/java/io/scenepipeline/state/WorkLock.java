package io.scenepipeline.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process per {@code pipeline.work}: an OS lock on {@code <work>/.lock}, held for the life of the process and
 * released by the kernel however it ends (kill -9 included). The file holds the holder's pid, so a second process
 * can say who is there. Taken before startup recovery touches the folder.
 */
public final class WorkLock implements AutoCloseable {

    private static final Map<Path, WorkLock> HELD = new ConcurrentHashMap<>();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private WorkLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /** Another process (or another pipeline in this one) holds the work folder. */
    public static final class BusyException extends RuntimeException {
        public BusyException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock of {@code work}, or returns the one this process already holds.
     *
     * @param shown the folder as the user configured it, for the message
     * @throws BusyException when another process holds it
     */
    public static WorkLock acquire(Path work, String shown) throws IOException {
        Path folder = work.toAbsolutePath().normalize();
        WorkLock held = HELD.get(folder);
        if (held != null) {
            return held;
        }
        Files.createDirectories(folder);
        Path file = folder.resolve(".lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String pid = holder(channel);
            channel.close();
            throw new BusyException("another scene-pipeline (pid " + pid + ") is using " + shown);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(true);
        WorkLock taken = new WorkLock(folder, channel, lock);
        HELD.put(folder, taken);
        return taken;
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        return pid.matches("\\d+") ? pid : "unknown";
    }

    /** Releases the lock (the kernel does the same when the process ends). */
    @Override
    public void close() throws IOException {
        if (HELD.remove(folder, this)) {
            lock.release();
            channel.close();
        }
    }
}
