package io.scenepipeline.observe;

import io.scenepipeline.support.Causes;
import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Cluster mode: says once that the broker cannot be reached and once that it answers again, in place of what the
 * listener container repeats every few seconds meanwhile. Told by the plans queue's listener (its JMS exception
 * listener) and by a failed send at intake (an {@code onExceptionOccurred} processor); while the broker is gone it is
 * probed every second, to say when it is back.
 */
public final class BrokerWatch implements ExceptionListener, Processor {

    private static final Logger LOG = Logs.of(BrokerWatch.class);
    private static final long PROBE_MS = 1000;

    private final BooleanSupplier reachable;
    private final ScheduledExecutorService probes;
    private final AtomicBoolean gone = new AtomicBoolean();

    public BrokerWatch(BooleanSupplier reachable, ScheduledExecutorService probes) {
        this.reachable = reachable;
        this.probes = probes;
    }

    @Override
    public void onException(JMSException failure) {
        gone(failure);
    }

    /** At intake: the send of a plan to the queue failed; the file stays in the inbox and the send is tried again. */
    @Override
    public void process(Exchange exchange) {
        gone(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    private void gone(Throwable failure) {
        // a connection or session that broke while the broker was gone fails once more after it is back: not an outage
        if (!gone.get() && !reachable.getAsBoolean() && gone.compareAndSet(false, true)) {
            List<Throwable> causes = Causes.of(failure);
            LOG.warn("The broker (pipeline.cluster.broker-url) cannot be reached ({}); plans wait in the inbox and on the queue"
                    + " until it answers", causes.isEmpty() ? "no reason given" : causes.get(causes.size() - 1).getMessage());
            schedule();
        }
    }

    private void schedule() {
        try {
            probes.schedule(this::probe, PROBE_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException stopping) {
            // the node is stopping: nothing more to say
        }
    }

    private void probe() {
        if (reachable.getAsBoolean()) {
            gone.set(false);
            LOG.info("The broker answers again");
        } else {
            schedule();
        }
    }
}
