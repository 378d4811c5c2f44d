package io.scenepipeline.lifecycle;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileExclusiveReadLockStrategy;
import org.apache.camel.component.file.GenericFileOperations;
import io.scenepipeline.state.FileClaims;

import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When a plan file in the shared inbox may be taken, in cluster mode: first claimed for this node in the journal's
 * database ({@link FileClaims}: a dead node's claim is taken over once it stops being renewed), then as in the single-process mode ({@link PlanReadLock}: unchanged for the min-age, and
 * whole JSON). The claim is given back when the file stays; once the file has left the inbox, the claim stays a while
 * longer (a node may have listed the file before it left), then is removed.
 * (Camel's {@code readLock=idempotent-changed}, with the whole-JSON check.) No marker files: a node that died would
 * leave its {@code .camelLock} behind in the shared inbox, and the other nodes would never take that file.
 */
public final class ClusterReadLock implements GenericFileExclusiveReadLockStrategy<File> {

    private static final Logger LOG = Logs.of(ClusterReadLock.class);

    private final FileClaims claims;
    private final PlanReadLock whole;
    private final ScheduledExecutorService later;
    private final long keepMs;

    /**
     * @param whole  a read lock of its own (the endpoint's options are set on it: not one another endpoint shares)
     * @param later  where a finished file's claim is removed, {@code keep} after its file left the inbox
     * @param keep   how long a finished file's claim stays: a node that listed the file before it left finds it claimed
     */
    public ClusterReadLock(FileClaims claims, PlanReadLock whole, ScheduledExecutorService later, Duration keep) {
        this.claims = claims;
        this.whole = whole;
        this.later = later;
        this.keepMs = keep.toMillis();
        whole.setMarkerFiler(false);
        whole.setDeleteOrphanLockFiles(false);
    }

    @Override
    public void prepareOnStartup(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint) throws Exception {
        whole.prepareOnStartup(operations, endpoint);
    }

    /**
     * Claims the file for this node, or skips it quietly: another node claimed it first (its row is there, or it
     * inserted the same row in the same instant), or another node already finished it (the file left the inbox after
     * this node listed it; a claim is removed only after its file is gone, so a file still there once claimed is one
     * no other node holds or has finished). A database that does not answer claims nothing: the file waits.
     */
    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange)
            throws Exception {
        String key = key(file);
        if (!Files.exists(Path.of(file.getAbsoluteFilePath()), LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            if (!claims.claim(key)) {
                return false;
            }
        } catch (RuntimeException gone) {
            LOG.debug("{} not claimed: the journal's database does not answer ({})", file.getFileName(), gone.getMessage());
            return false;
        }
        if (!Files.exists(Path.of(file.getAbsoluteFilePath()), LinkOption.NOFOLLOW_LINKS)) {
            claims.release(key);
            return false;
        }
        boolean ready;
        try {
            ready = whole.acquireExclusiveReadLock(operations, file, exchange);
        } catch (Exception | Error e) {
            claims.release(key);
            throw e;
        }
        if (!ready) {
            claims.release(key);
        }
        return ready;
    }


    @Override
    public void releaseExclusiveReadLockOnAbort(GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange)
            throws Exception {
        whole.releaseExclusiveReadLockOnAbort(operations, file, exchange);
        claims.release(key(file));
    }

    @Override
    public void releaseExclusiveReadLockOnRollback(GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange)
            throws Exception {
        whole.releaseExclusiveReadLockOnRollback(operations, file, exchange);
        claims.release(key(file));
    }

    @Override
    public void releaseExclusiveReadLockOnCommit(GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange)
            throws Exception {
        whole.releaseExclusiveReadLockOnCommit(operations, file, exchange);
        // the file has left the inbox: its claim stays a while, so that no node that listed it earlier takes it again
        // (claims.release leaves a claim this node does not hold alone: Camel also aborts files it never had the lock of)
        String key = key(file);
        later.schedule(() -> {
            try {
                claims.release(key);
            } catch (RuntimeException e) {
                LOG.debug("The claim of {} stays (the journal's database does not answer: {})", key, e.getMessage());
            }
        }, keepMs, TimeUnit.MILLISECONDS);
    }

    /**
     * A claim is on one version of a file (its path, time and length): a plan file dropped again under the same name
     * is a new file, claimed anew.
     */
    private static String key(GenericFile<File> file) {
        return file.getAbsoluteFilePath() + "@" + file.getLastModified() + ":" + file.getFileLength();
    }

    @Override
    public void setTimeout(long timeout) {
        whole.setTimeout(timeout);
    }

    @Override
    public void setCheckInterval(long checkInterval) {
        whole.setCheckInterval(checkInterval);
    }

    @Override
    public void setReadLockLoggingLevel(LoggingLevel level) {
        whole.setReadLockLoggingLevel(level);
    }

    @Override
    public void setMarkerFiler(boolean markerFile) {
        // never: see the class comment
    }

    @Override
    public void setDeleteOrphanLockFiles(boolean deleteOrphanLockFiles) {
        // there are no lock files
    }
}
