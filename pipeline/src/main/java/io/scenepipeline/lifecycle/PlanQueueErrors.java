package io.scenepipeline.lifecycle;

import io.scenepipeline.retry.ProviderErrors;
import io.scenepipeline.support.Causes;
import org.apache.camel.RollbackExchangeException;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;
import org.springframework.util.ErrorHandler;

/**
 * Cluster mode: the plans queue's listener error handler (camel-jms {@code errorHandler}). A plan this node rolled
 * back on purpose (handed on to another node, cut off by a stop) has been said already, in the plan's own line; a
 * session the broker closed (this node was silent past the broker's connection TTL) and anything else are said in
 * one line, without a stack trace: the message is back on the queue either way.
 */
public final class PlanQueueErrors implements ErrorHandler {

    private static final Logger LOG = Logs.of(PlanQueueErrors.class);

    @Override
    public void handleError(Throwable failure) {
        if (Causes.of(failure).stream().anyMatch(RollbackExchangeException.class::isInstance)) {
            return;
        }
        if (Causes.of(failure).stream().anyMatch(jakarta.jms.IllegalStateException.class::isInstance)) {
            LOG.warn("The broker had closed this node's session (silent past its connection TTL) and handed the plan it held"
                    + " on ({})", ProviderErrors.describe(failure));
            return;
        }
        LOG.warn("A plan's message went back to the queue: {}", ProviderErrors.describe(failure));
    }
}
