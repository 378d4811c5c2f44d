package io.scenepipeline.lifecycle;

import io.scenepipeline.retry.ProviderErrors;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox consumer's exception handler: what the dead-letter channel could not take (a plan a stop cut off, a dead
 * letter even the work folder refused) is said in one line, not a stack trace; the plan's file stays in flight.
 */
public final class InboxErrors implements ExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger("scene-pipeline");

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
        if (exception instanceof PlanDeadLetter.LeftForNextStartException) {
            return;
        }
        String file = exchange == null ? null : PlanIntake.fileName(exchange);
        LOG.error("{}{}; the plan stays in flight for the next start", file == null ? "" : file + ": ",
                exception == null ? message : ProviderErrors.describe(exception));
    }
}
