package io.scenepipeline.lifecycle;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileExclusiveReadLockStrategy;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.spi.IdempotentRepository;

import java.io.File;

/**
 * When a plan file in the shared inbox may be taken, in cluster mode: first claimed for this node in the JDBC
 * idempotent repository every node shares (Camel's orphan-lock-aware one: a dead node's claim is taken over once it
 * stops being kept alive), then as in the single-process mode ({@link PlanReadLock}: unchanged for the min-age, and
 * whole JSON). The claim is given back when the file stays, and removed once the file has left the inbox.
 * (Camel's {@code readLock=idempotent-changed}, with the whole-JSON check.) No marker files: a node that died would
 * leave its {@code .camelLock} behind in the shared inbox, and the other nodes would never take that file.
 */
public final class ClusterReadLock implements GenericFileExclusiveReadLockStrategy<File> {

    private final IdempotentRepository claims;
    private final PlanReadLock whole;

    /** @param whole a read lock of its own (the endpoint's options are set on it: not one another endpoint shares) */
    public ClusterReadLock(IdempotentRepository claims, PlanReadLock whole) {
        this.claims = claims;
        this.whole = whole;
        whole.setMarkerFiler(false);
        whole.setDeleteOrphanLockFiles(false);
    }

    @Override
    public void prepareOnStartup(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint) throws Exception {
        whole.prepareOnStartup(operations, endpoint);
    }

    @Override
    public boolean acquireExclusiveReadLock(GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange)
            throws Exception {
        String key = file.getAbsoluteFilePath();
        if (!claims.add(exchange, key)) {
            return false;
        }
        boolean ready;
        try {
            ready = whole.acquireExclusiveReadLock(operations, file, exchange);
        } catch (Exception | Error e) {
            claims.remove(exchange, key);
            throw e;
        }
        if (!ready) {
            claims.remove(exchange, key);
        }
        return ready;
    }

    @Override
    public void releaseExclusiveReadLockOnAbort(GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange)
            throws Exception {
        whole.releaseExclusiveReadLockOnAbort(operations, file, exchange);
        claims.remove(exchange, file.getAbsoluteFilePath());
    }

    @Override
    public void releaseExclusiveReadLockOnRollback(GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange)
            throws Exception {
        whole.releaseExclusiveReadLockOnRollback(operations, file, exchange);
        claims.remove(exchange, file.getAbsoluteFilePath());
    }

    @Override
    public void releaseExclusiveReadLockOnCommit(GenericFileOperations<File> operations, GenericFile<File> file, Exchange exchange)
            throws Exception {
        whole.releaseExclusiveReadLockOnCommit(operations, file, exchange);
        claims.remove(exchange, file.getAbsoluteFilePath());
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
