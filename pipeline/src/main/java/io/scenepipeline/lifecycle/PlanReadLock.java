package io.scenepipeline.lifecycle;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.FileChangedExclusiveReadLockStrategy;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.File;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a plan file may be taken from the inbox: Camel's {@code readLock=changed} (its size and time unchanged for
 * {@code pipeline.inbox.min-age}), and besides, whole JSON. A file that is not whole JSON yet stays in the inbox
 * until it has not changed for {@code pipeline.inbox.settle-time}: a plan copied over a slow share, in chunks with
 * pauses longer than the min-age, is read once, whole. One that stays broken that long is taken, and its
 * validation sends it to the dead letters.
 */
public final class PlanReadLock extends FileChangedExclusiveReadLockStrategy {

    private static final Logger LOG = Logs.of(PlanReadLock.class);

    private final long maxPlanBytes;
    private final long settleMs;
    private final Set<String> told = ConcurrentHashMap.newKeySet();

    public PlanReadLock(long minAgeMs, long checkIntervalMs, long settleMs, long maxPlanBytes) {
        this.settleMs = settleMs;
        this.maxPlanBytes = maxPlanBytes;
        setMinAge(minAgeMs);
        setCheckInterval(checkIntervalMs);
        setMinLength(0);
        setTimeout(Math.max(10_000, 4 * minAgeMs));
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange)
            throws Exception {
        if (!super.acquireExclusiveReadLock(operations, file, exchange)) {
            return false;
        }
        Path path = Path.of(file.getAbsoluteFilePath());
        String name = file.getFileNameOnly();
        if (PlanFile.complete(path, maxPlanBytes)) {
            told.remove(name);
            return true;
        }
        long unchangedFor = System.currentTimeMillis() - path.toFile().lastModified();
        if (unchangedFor >= settleMs) {
            told.remove(name);
            return true;
        }
        if (told.add(name)) {
            LOG.info("{} is not whole JSON yet: it is read again once it has not changed for {} ms (pipeline.inbox.settle-time)",
                    name, settleMs);
        }
        return false;
    }
}
