package io.scenepipeline.config;

import io.scenepipeline.provider.CallDeadline;
import io.scenepipeline.provider.ProviderConnections;
import io.scenepipeline.provider.AccountPace;
import io.scenepipeline.provider.ServerSlots;
import io.scenepipeline.provider.facerig.FaceRigSteps;
import io.scenepipeline.provider.replicate.ReplicateLimits;
import io.scenepipeline.state.SlotLedger;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.Registry;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How the routes reach the providers: a deadline per kind of call, one connection pool per provider, the slots
 * (face_rig servers, ElevenLabs' concurrency) and Replicate's paces that scenes wait for without holding a thread.
 */
final class ProviderWiring {

    private ProviderWiring() {
    }

    /** Binds the beans. Returns the executors to stop with the context. */
    static List<ExecutorService> bind(CamelContext context, Object owner, PipelineSettings settings, SlotLedger ledger) {
        Registry registry = context.getRegistry();
        ExecutorServiceManager executors = context.getExecutorServiceManager();
        ScheduledExecutorService timer = executors.newSingleThreadScheduledExecutor(owner, "call-deadline");
        long json = CallDeadline.MAX_JSON_ANSWER_BYTES;
        long media = settings.replicate().maxDownloadBytes();
        registry.bind("replicateCallDeadline", new CallDeadline("replicate.response-timeout", json, timer));
        registry.bind("replicateDownloadDeadline", new CallDeadline("replicate.download-timeout", media, timer));
        registry.bind("elevenlabsCallDeadline", new CallDeadline("elevenlabs.response-timeout", media, timer));
        registry.bind("facerigCallDeadline", new CallDeadline("facerig.response-timeout", json, timer));
        registry.bind("facerigAlignmentDeadline", new CallDeadline("facerig.alignment-timeout", json, timer));
        registry.bind("facerigExportDeadline", new CallDeadline("facerig.export-timeout", media, timer));

        List<URI> faceRigServers = settings.facerig().baseUrls();
        int perServer = settings.facerig().maxConcurrent();
        int elevenlabs = settings.concurrency().elevenlabs();
        // one connection pool per provider; face_rig's allows facerig.max-concurrent per server
        registry.bind("replicateConnections", ProviderConnections.pool(settings.concurrency().replicate(),
                settings.concurrency().replicate(), settings.replicate().connectTimeoutMs()));
        registry.bind("elevenlabsConnections", ProviderConnections.pool(elevenlabs, elevenlabs, settings.elevenlabs().connectTimeoutMs()));
        registry.bind("facerigConnections", ProviderConnections.pool(perServer * faceRigServers.size(), perServer,
                settings.facerig().connectTimeoutMs()));

        // a scene given a slot after waiting for it goes on here: at most one thread per slot is ever busy with a call
        ExecutorService continuations = executors.newFixedThreadPool(owner, "slot", perServer * faceRigServers.size() + elevenlabs);
        ServerSlots faceRig = new ServerSlots(FaceRigSteps.POOL, faceRigServers.stream().map(URI::toString).toList(),
                perServer, settings.facerig().setAside(), continuations, timer, ledger);
        registry.bind("facerigServers", faceRig);
        registry.bind("elevenlabsSlots", new ServerSlots("ElevenLabs", List.of(settings.elevenlabs().baseUrl().toString()),
                elevenlabs, Duration.ZERO, continuations, timer, ledger));
        // Replicate's account limits, paced for the whole account (across the nodes in cluster mode); a call whose turn
        // came goes on here: at most one thread per connection of Replicate's pool is ever busy with a call
        ExecutorService replicateCalls = executors.newFixedThreadPool(owner, "replicate", settings.concurrency().replicate());
        registry.bind("replicateCalls", replicateCalls);
        ReplicateLimits limits = settings.replicate().limits();
        // a 429's reset holds everyone at most as long as any call would wait for it (docs/retries.md)
        Duration hold = Duration.ofMillis(settings.retry().components().values().stream()
                .mapToLong(b -> b.maximumRedeliveryDelay() > 0 ? b.maximumRedeliveryDelay() : 60_000).min().orElse(60_000));
        registry.bind("replicateCreatePace", new AccountPace("Replicate creates", "replicate.max-creates-per-minute",
                limits.createsPerMinute(), limits.createBurst(), hold, ledger, timer, replicateCalls, System::currentTimeMillis));
        registry.bind("replicateRequestPace", new AccountPace("Replicate requests", "replicate.max-requests-per-minute",
                limits.requestsPerMinute(), limits.requestBurst(), hold, ledger, timer, replicateCalls, System::currentTimeMillis));
        return List.of(timer, continuations, replicateCalls);
    }
}
