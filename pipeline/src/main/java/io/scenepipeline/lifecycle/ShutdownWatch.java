package io.scenepipeline.lifecycle;

import io.scenepipeline.support.Causes;
import io.scenepipeline.support.ShownPath;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.RejectedExecutionException;

/**
 * What a stop (SIGTERM, SIGINT, Ctrl-C) does to plans in flight. Camel stops the inbox at once and gives running
 * plans up to {@code camel.main.shutdown-timeout} to finish; a plan still running then is cut off, and a plan cut off
 * is never dead-lettered for it: its file stays in {@code pipeline.work/inflight/}, where the next start resumes it
 * from the journal (cluster mode: its message is rolled back to the plans queue, and another node resumes it from the
 * shared journal). When the context has stopped, one line names each plan left.
 */
public final class ShutdownWatch extends EventNotifierSupport {

    private static final Logger LOG = Logs.of(ShutdownWatch.class);

    private final CamelContext context;
    private final Path inflight;
    private final PlanIntake intake;
    private final boolean cluster;

    /** {@code cluster}: plans come from the plans queue, and a plan cut off goes back to it for another node. */
    public ShutdownWatch(CamelContext context, Path inflight, PlanIntake intake, boolean cluster) {
        this.context = context;
        this.inflight = inflight;
        this.intake = intake;
        this.cluster = cluster;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent || event instanceof CamelEvent.CamelContextStoppedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStoppingEvent) {
            int running = context.getInflightRepository().size();
            if (running > 0) {
                LOG.info("Stopping: no new plans are taken; what is running gets up to {} s (camel.main.shutdown-timeout) "
                        + "to finish, the rest {}", context.getShutdownStrategy().getTimeout(),
                        cluster ? "goes back to the plans queue for another node" : "resumes at the next start");
            }
        } else {
            leftForNextStart();
        }
    }

    /**
     * True when a plan failed because the stop cut it off (the shutdown timeout passed, or its work was interrupted
     * or refused by a stopping thread pool): it is then left for the next start instead of dead-lettered.
     */
    public boolean cutOff(Throwable failure) {
        if (!context.isStopping() && !context.isStopped()) {
            return false;
        }
        if (context.getShutdownStrategy().isForceShutdown() || context.getShutdownStrategy().hasTimeoutOccurred()) {
            return true;
        }
        for (Throwable t : Causes.of(failure)) {
            if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
                    || t instanceof RejectedExecutionException
                    || (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException))) {
                return true;
            }
        }
        return false;
    }

    private void leftForNextStart() {
        for (String planId : intake.queuedUnfinished()) {
            LOG.warn("plan={} Stopped before it finished; back on the plans queue for another node", planId);
        }
        if (!Files.isDirectory(inflight)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(inflight)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(f)) {
                    continue;
                }
                String planId = intake.planIdOf(name);
                LOG.warn("plan={} Stopped before it finished; left for the next start: {}",
                        planId != null ? planId : name.replaceFirst("(?i)\\.json$", ""), ShownPath.of(f));
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the plans in flight in {}: {}", ShownPath.of(inflight), e.getMessage());
        }
    }
}
