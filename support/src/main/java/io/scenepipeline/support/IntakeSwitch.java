package io.scenepipeline.support;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.service.ServiceHelper;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The intake's consumer (the inbox's polling; in cluster mode the plans queue's listener), paused while any reason to
 * hold new plans lasts (the breaker open, the disk short) and resumed when none is left. Only the consumer pauses,
 * never the route: the plans already running go on. Routes the mode does not run are passed over.
 */
public final class IntakeSwitch {

    private static final Logger LOG = Logs.of(IntakeSwitch.class);

    private final List<String> routes;
    private final Set<String> reasons = ConcurrentHashMap.newKeySet();
    // from a thread of its own: a consumer is paused and resumed apart from the exchanges it is running
    private volatile ExecutorService control;
    private volatile CamelContext context;

    public IntakeSwitch(List<String> routes) {
        this.routes = List.copyOf(routes);
    }

    public void start(CamelContext context) {
        this.control = context.getExecutorServiceManager().newSingleThreadExecutor(this, "intake-control");
        this.context = context;
        try {
            // a reason found before the routes were up (a short disk at startup) pauses the intake as soon as they are
            context.addStartupListener(new org.apache.camel.StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                    // the consumers start after this: onCamelContextFullyStarted
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                    if (paused()) {
                        apply(true);
                    }
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for the context's start", e);
        }
    }

    /** Holds new plans for {@code reason} (until {@link #resume} with the same reason). */
    public synchronized void pause(String reason) {
        if (reasons.add(reason) && reasons.size() == 1) {
            apply(true);
        }
    }

    public synchronized void resume(String reason) {
        if (reasons.remove(reason) && reasons.isEmpty()) {
            apply(false);
        }
    }

    public boolean paused() {
        return !reasons.isEmpty();
    }

    private void apply(boolean suspend) {
        CamelContext camel = context;
        if (camel == null) {
            return;
        }
        control.execute(() -> {
            for (String id : routes) {
                Route route = camel.getRoute(id);
                if (route == null) {
                    continue;
                }
                try {
                    if (suspend) {
                        ServiceHelper.suspendService(route.getConsumer());
                    } else {
                        ServiceHelper.resumeService(route.getConsumer());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Could not {} the {} intake: {}", suspend ? "pause" : "resume", id, e.getMessage());
                }
            }
        });
    }
}
