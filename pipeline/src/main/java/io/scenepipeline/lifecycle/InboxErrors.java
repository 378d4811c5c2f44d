package io.scenepipeline.lifecycle;

import io.scenepipeline.retry.ProviderErrors;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

/**
 * The inbox consumer's exception handler: what the dead-letter channel could not take (a dead letter even the work
 * folder refused) is said in one line, not a stack trace; the plan's file stays in flight. In
 * cluster mode nothing is in flight yet while a file is in the shared inbox: it stays there and is tried again at the
 * next poll, by whichever node claims it, so that is said as a warning.
 */
public final class InboxErrors implements ExceptionHandler {

    private static final Logger LOG = Logs.of(InboxErrors.class);

    private final boolean cluster;

    /** @param cluster the intake is the cluster's shared inbox */
    public InboxErrors(boolean cluster) {
        this.cluster = cluster;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        PlanDelivery delivery = exchange == null ? null : PlanDelivery.peek(exchange);
        if (delivery != null && delivery.wasLeft()) {
            return; // cut off by a stop, or handed on: its own line said so, and the file stays for the next start
        }
        String file = exchange == null ? null : PlanIntake.fileName(exchange);
        String what = exception == null ? message : ProviderErrors.describe(exception);
        if (cluster) {
            LOG.warn("{}{}; the file stays in the inbox and is tried again", file == null ? "" : file + ": ", what);
        } else {
            LOG.error("{}{}; the plan stays in flight for the next start", file == null ? "" : file + ": ", what);
        }
    }
}
