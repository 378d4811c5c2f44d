package io.scenepipeline.provider;

import io.scenepipeline.support.IntakeSwitch;
import io.scenepipeline.support.ShownPath;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Disk space as a resource, like a provider's: the folders the pipeline writes to ({@code pipeline.work}, the outbox,
 * the artifacts, the dead letters) are looked at every second; while one has less free space than
 * {@code pipeline.disk-reserve}, new plans wait in the inbox (the intake is paused), readiness is down naming the
 * folder, and every paid call waits here, without a thread and without spending an attempt, for space to come back.
 * When it is back, everything goes on by itself.
 */
public final class DiskRoom extends AsyncProcessorSupport {

    private static final Logger LOG = Logs.of(DiskRoom.class);

    /** A folder short of space: which (its setting), and how much it has. */
    public record Shortage(String setting, Path folder, long freeBytes) {
    }

    private final Map<String, Path> folders;
    private final long reserveBytes;
    private final ToLongFunction<Path> free;
    private final IntakeSwitch intake;
    private final Executor continuations;
    private final Queue<AsyncCallback> waiting = new ConcurrentLinkedQueue<>();
    private volatile Shortage shortage;

    /**
     * @param folders      each folder written to, by the setting that names it
     * @param reserveBytes {@code pipeline.disk-reserve}
     * @param free         how much space a folder has (its file store's usable space)
     */
    public DiskRoom(Map<String, Path> folders, long reserveBytes, ToLongFunction<Path> free, IntakeSwitch intake, Executor continuations) {
        this.folders = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(folders));
        this.reserveBytes = reserveBytes;
        this.free = free;
        this.intake = intake;
        this.continuations = continuations;
    }

    /** The usable space of the file system a folder is on (of its nearest existing parent while it is not made yet). */
    public static long usableSpace(Path folder) {
        Path at = folder.toAbsolutePath();
        while (at != null && !Files.exists(at)) {
            at = at.getParent();
        }
        try {
            return at == null ? Long.MAX_VALUE : Files.getFileStore(at).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE; // not measurable: not held against the pipeline
        }
    }

    /** Looks at every folder now, and every {@code everyMs} after. */
    public void start(ScheduledExecutorService timer, long everyMs) {
        check();
        timer.scheduleWithFixedDelay(this::check, everyMs, everyMs, TimeUnit.MILLISECONDS);
    }

    /** Looks at every folder; says it once when space runs short and once when it is back. */
    public void check() {
        Shortage found = null;
        for (Map.Entry<String, Path> f : folders.entrySet()) {
            long bytes = free.applyAsLong(f.getValue());
            if (bytes < reserveBytes && (found == null || bytes < found.freeBytes())) {
                found = new Shortage(f.getKey(), f.getValue(), bytes);
            }
        }
        Shortage was = shortage;
        shortage = found;
        if (found != null && was == null) {
            LOG.warn("Disk space is short: {} ({}) has {} free, less than pipeline.disk-reserve ({}); new plans wait in the inbox "
                    + "and paid calls wait until there is room again", found.setting(), ShownPath.of(found.folder()),
                    size(found.freeBytes()), size(reserveBytes));
            intake.pause("disk");
        } else if (found == null && was != null) {
            LOG.info("Disk space is back: {} has {} free; taking new plans and making paid calls again", was.setting(),
                    size(free.applyAsLong(was.folder())));
            intake.resume("disk");
            for (AsyncCallback callback = waiting.poll(); callback != null; callback = waiting.poll()) {
                AsyncCallback next = callback;
                continuations.execute(() -> next.done(false));
            }
        }
    }

    /** The folder short of space now, or null. */
    public Shortage shortage() {
        return shortage;
    }

    public String describe(Shortage s) {
        return s.setting() + " (" + ShownPath.of(s.folder()) + ") has " + size(s.freeBytes()) + " free, less than "
                + "pipeline.disk-reserve (" + size(reserveBytes) + ")";
    }

    /** Before a paid call: goes on at once while there is room, else waits (no thread held) until there is. */
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        if (shortage == null) {
            callback.done(true);
            return true;
        }
        AsyncCallback then = io.scenepipeline.run.Steps.waiting(exchange, "disk room", null, callback);
        waiting.add(then);
        if (shortage == null && waiting.remove(then)) {
            // space came back between the look and the queueing
            then.done(true);
            return true;
        }
        return false;
    }

    /** How many calls wait for room now. */
    public int waitingCalls() {
        return waiting.size();
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%d MB", bytes >> 20);
    }
}
