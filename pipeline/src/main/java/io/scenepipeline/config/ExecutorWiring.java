package io.scenepipeline.config;

import io.scenepipeline.output.DeadLetters;
import io.scenepipeline.state.WorkLock;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline's thread pools (docs/throughput.md), each from Camel's executor manager and stopped with the context, with
 * the work folder's lock released last. Scenes and chains wait (backoff, polls, permits) without holding a thread, so
 * the pools stay small however many scenes are in flight; {@code pipeline.scene-concurrency} is held by the scene
 * throttle, not by these pools.
 */
final class ExecutorWiring {

    private ExecutorWiring() {
    }

    /** Binds the pools; returns the scheduler of waits (redelivery backoff, poll intervals). */
    static ScheduledExecutorService bind(CamelContext context, Object owner, PipelineSettings settings, DeadLetters deadLetters,
                                         Duration deadLetterRetry, List<ExecutorService> others, WorkLock workLock) {
        Registry registry = context.getRegistry();
        ExecutorServiceManager executors = context.getExecutorServiceManager();
        List<ExecutorService> stopped = new ArrayList<>(others);
        // scheduled waits (redelivery backoff, poll intervals) run on this small pool
        ScheduledExecutorService waits = executors.newScheduledThreadPool(owner, "wait", 4);
        registry.bind("waitScheduler", waits);
        stopped.add(waits);
        // plans and scenes waiting for a concurrency permit (inbox and scene throttles): Camel's own pool per throttle
        // would grow to ten threads each just by scheduling its clean-ups
        ScheduledExecutorService permits = executors.newScheduledThreadPool(owner, "permit", 2);
        registry.bind("throttleScheduler", permits);
        stopped.add(permits);
        // a dead letter the dead-letter folder refused is tried again on this one
        ScheduledExecutorService letters = executors.newSingleThreadScheduledExecutor(owner, "dead-letter-retry");
        long every = Math.max(1, deadLetterRetry.toMillis());
        letters.scheduleWithFixedDelay(deadLetters::retry, every, every, TimeUnit.MILLISECONDS);
        stopped.add(letters);
        int threads = settings.concurrency().workerThreads();
        int scenes = settings.concurrency().scenes();
        registry.bind("sceneExecutor", executors.newFixedThreadPool(owner, "scene", Math.min(threads, scenes)));
        registry.bind("chainExecutor", executors.newFixedThreadPool(owner, "chain", Math.min(threads, 2 * scenes)));
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws IOException {
                    stopped.forEach(executors::shutdownNow);
                    workLock.close();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return waits;
    }
}
