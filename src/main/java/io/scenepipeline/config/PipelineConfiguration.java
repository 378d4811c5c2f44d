package io.scenepipeline.config;

import io.scenepipeline.assembly.Assembly;
import io.scenepipeline.assembly.AssemblySettings;
import io.scenepipeline.lifecycle.InboxErrors;
import io.scenepipeline.lifecycle.InboxGuard;
import io.scenepipeline.lifecycle.InboxSettings;
import io.scenepipeline.lifecycle.PlanDeadLetter;
import io.scenepipeline.lifecycle.PlanIntake;
import io.scenepipeline.lifecycle.PlanLifecycle;
import io.scenepipeline.lifecycle.PlanReadLock;
import io.scenepipeline.lifecycle.ShutdownWatch;
import io.scenepipeline.observe.BreakerHealthCheck;
import io.scenepipeline.observe.ClusterFigures;
import io.scenepipeline.observe.DeadLettersHealthCheck;
import io.scenepipeline.observe.FoldersHealthCheck;
import io.scenepipeline.observe.PipelineMetrics;
import io.scenepipeline.output.DeadLetters;
import io.scenepipeline.plan.PlanParser;
import io.scenepipeline.provider.Prices;
import io.scenepipeline.provider.ServerSlots;
import io.scenepipeline.provider.elevenlabs.ElevenLabsSteps;
import io.scenepipeline.provider.facerig.FaceRigSteps;
import io.scenepipeline.retry.FailureClassifier;
import io.scenepipeline.retry.ProviderBreaker;
import io.scenepipeline.support.IntakeSwitch;
import io.scenepipeline.provider.DiskRoom;
import io.scenepipeline.retry.RetryBudget;
import io.scenepipeline.retry.RetryDecider;
import io.scenepipeline.retry.RetrySettings;
import io.scenepipeline.retry.StepFailureHandler;
import io.scenepipeline.retry.Throttling;
import io.scenepipeline.run.Budget;
import io.scenepipeline.run.RunStats;
import io.scenepipeline.state.PlanRecovery;
import io.scenepipeline.state.FileStepJournal;
import io.scenepipeline.state.SlotLedger;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.state.WorkLock;
import io.scenepipeline.support.Secrets;
import io.scenepipeline.support.SettingsException;
import io.scenepipeline.support.ShownPath;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Binds the pipeline's beans, built from the validated {@link PipelineSettings}, before the YAML routes load
 * (camel-main {@code camel.main.configuration-classes}).
 */
public class PipelineConfiguration implements CamelConfiguration {

    /** Registry name of the {@link RunStats}; the CLI may bind its own before startup. */
    public static final String RUN_STATS = "runStats";

    @Override
    public void configure(CamelContext context) {
        PipelineSettings settings = PipelineSettings.from(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        ensureWritable("pipeline.inbox", settings.folders().inbox());
        ensureWritable("pipeline.outbox", settings.folders().outbox());
        ensureWritable("pipeline.dead-letter", settings.folders().deadLetter());
        ensureWritable("pipeline.work", settings.folders().work());

        Registry registry = context.getRegistry();
        RunStats stats = registry.lookupByNameAndType(RUN_STATS, RunStats.class);
        if (stats == null) {
            stats = new RunStats();
            registry.bind(RUN_STATS, stats);
        }
        // one process per work folder, taken before recovery touches it
        WorkLock workLock;
        try {
            workLock = WorkLock.acquire(settings.folders().work(), ShownPath.of(settings.folders().work()).toString());
        } catch (IOException e) {
            throw new SettingsException("pipeline.work: cannot lock " + settings.folders().work() + " (" + e.getMessage() + ")");
        }
        // Camel's stream-cache spool lives in the work folder (recovery empties work/tmp of what a dead run left)
        context.getStreamCachingStrategy().setSpoolDirectory(settings.folders().work().resolve("tmp").resolve("spool").toAbsolutePath().toFile());
        InboxSettings inbox = InboxSettings.from(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        PlanReadLock readLock = new PlanReadLock(inbox.minAgeMs(), inbox.checkIntervalMs(), inbox.settleMs(), settings.limits().maxPlanBytes());
        ClusterSettings cluster = ClusterSettings.from(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null),
                settings.folders().work());
        StepJournal journal;
        SlotLedger ledger;
        if (cluster == null) {
            journal = new FileStepJournal(settings.folders().work().resolve("journal"));
            ledger = SlotLedger.LOCAL;
        } else {
            ensureWritable("pipeline.artifacts", cluster.artifacts());
            ClusterWiring.Cluster parts = ClusterWiring.bind(context, this, cluster,
                    new PlanReadLock(inbox.minAgeMs(), inbox.checkIntervalMs(), inbox.settleMs(), settings.limits().maxPlanBytes()));
            journal = parts.journal();
            ledger = parts.ledger();
        }
        try {
            PlanRecovery.recover(settings.folders().inbox(), settings.folders().work(), journal, settings.steps().journalRetention());
        } catch (IOException e) {
            throw new SettingsException("pipeline.work: cannot recover the plans in flight in " + settings.folders().work() + " (" + e.getMessage() + ")");
        }
        DeadLetters deadLetters = new DeadLetters(settings.folders().deadLetter(), settings.folders().work());
        try {
            deadLetters.recover();
        } catch (IOException e) {
            throw new SettingsException("pipeline.work: cannot read the waiting dead letters in " + settings.folders().work() + " (" + e.getMessage() + ")");
        }
        // where a picked-up plan waits while it runs: an absolute path, for the inbox consumer's preMove
        context.getPropertiesComponent().addOverrideProperty("pipeline.inflight-dir",
                PlanRecovery.inflight(settings.folders().work()).toAbsolutePath().toString());
        FailureClassifier classifier = FailureClassifier.ofStatusList(settings.retry().retryableStatusCodes());
        Secrets secrets = new Secrets(cluster == null ? settings.secrets()
                : Stream.concat(settings.secrets().stream(), cluster.secrets().stream()).toList());
        // the intake's consumer, paused while the breaker is open or the disk is short
        IntakeSwitch intakeSwitch = new IntakeSwitch(List.of("inbox", "cluster-plans"));
        intakeSwitch.start(context);
        ProviderBreaker breaker = new ProviderBreaker(settings.breaker(), intakeSwitch);
        DiskRoom disk = DiskWiring.bind(context, this, settings, cluster == null ? null : cluster.artifacts(), intakeSwitch);
        registry.bind("providerBreaker", breaker);
        registry.bind("pipelineSettings", settings);
        // the project's series go into the registry Camel's micrometer-prometheus scrapes on /observe/metrics
        MeterRegistry meters = registry.lookupByNameAndType(
                MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        PipelineMetrics metrics = new PipelineMetrics(meters, () -> breaker.state() == ProviderBreaker.State.OPEN);
        registry.bind("pipelineMetrics", metrics);
        if (cluster != null) {
            ScheduledExecutorService figures = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "cluster-figures");
            new ClusterFigures(journal).bind(meters, figures);
        }
        // the retry components' route configurations, defined once from the same settings the failure handlers use
        try {
            context.addRoutes(new RetryConfigurations(settings.retry().components()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot define the retry configurations", e);
        }
        ServerSlots[] faceRig = new ServerSlots[1];
        List<ExecutorService> providerExecutors = ProviderWiring.bind(context, this, settings, ledger, faceRig);
        RetryBudget retryBudget = RetryBudget.from(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null),
                settings.retry().maxRedeliveries());
        registry.bind("retryBudget", retryBudget);
        Throttling throttling = new Throttling(settings.retry().throttleLimit(), () -> disk.shortage() != null);
        ServerSlots elevenlabsSlots = registry.lookupByNameAndType("elevenlabsSlots", ServerSlots.class);
        for (String component : RetrySettings.COMPONENTS) {
            // a face_rig call that lost its connection sets its server aside before its retry is scheduled
            // and an ElevenLabs answer that states the account's concurrency sets its slots
            BiConsumer<Exchange, Throwable> listener = "facerig".equals(component)
                    ? (exchange, failure) -> {
                        faceRig[0].failed(exchange, failure);
                        ElevenLabsSteps.accountLimit(failure, elevenlabsSlots::limitTo);
                    } : (exchange, failure) -> { };
            RetryDecider decider = new RetryDecider(component, settings.retry().components().get(component), classifier,
                    retryBudget, throttling);
            registry.bind(component + "Retries", decider);
            registry.bind(component + "Failures", new StepFailureHandler(decider, secrets, breaker, metrics, listener));
        }
        Assembly assembly = new Assembly(AssemblySettings.from(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null)),
                journal, settings.folders().work(), settings.steps().faceRigEnabled());
        registry.bind("assembly", assembly);
        registry.bind("planLifecycle", new PlanLifecycle(settings.folders().outbox(), settings.folders().work(), settings.steps().faceRigEnabled(), stats, breaker,
                metrics, assembly.active(), journal));
        PlanIntake intake = new PlanIntake(settings.folders().work(), settings.limits().maxPlanBytes(), new PlanParser(
                settings.steps().faceRigEnabled(), settings.limits().maxScenes(), settings.limits().maxTextChars()), metrics, journal);
        registry.bind("planIntake", intake);
        ShutdownWatch shutdown = new ShutdownWatch(context, PlanRecovery.inflight(settings.folders().work()), intake, cluster != null);
        context.getManagementStrategy().addEventNotifier(shutdown);
        PlanDeadLetter planDeadLetter = new PlanDeadLetter(deadLetters, stats, secrets, metrics, shutdown, journal);
        registry.bind("planDeadLetter", planDeadLetter);
        registry.bind("inboxGuard", new InboxGuard(settings.folders().inbox(), planDeadLetter::setAside));
        registry.bind("inboxErrors", new InboxErrors(cluster != null));
        registry.bind("planReadLock", readLock);
        // readiness: named checks beside Camel's own (context, routes, consumers)
        Map<String, Path> folders = new LinkedHashMap<>();
        folders.put("pipeline.inbox", settings.folders().inbox());
        folders.put("pipeline.outbox", settings.folders().outbox());
        folders.put("pipeline.dead-letter", settings.folders().deadLetter());
        folders.put("pipeline.work", settings.folders().work());
        registry.bind("providers-health-check", new BreakerHealthCheck(breaker));
        registry.bind("folders-health-check", new FoldersHealthCheck(folders));
        registry.bind("dead-letters-health-check", new DeadLettersHealthCheck(deadLetters::waiting));
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(registry.lookupByName("providers-health-check"));
            health.register(registry.lookupByName("folders-health-check"));
            health.register(registry.lookupByName("dead-letters-health-check"));
        }
        registry.bind("journal", journal);
        // the price of every model a plan may name, and the budget per plan (docs/costs.md)
        Prices prices = Prices.of(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null), settings.elevenlabs().model());
        registry.bind("prices", prices);
        Budget budget = Budget.parse(context.getPropertiesComponent().resolveProperty("pipeline.max-cost-per-plan").orElse(""));
        registry.bind("elevenlabs", new ElevenLabsSteps(settings.elevenlabs(), journal, prices, budget, elevenlabsSlots::limitTo));
        registry.bind("facerig", new FaceRigSteps(journal, settings.facerig().origin()));

        // scheduled waits (redelivery backoff, poll intervals) run on this small pool, stopped with the context
        ScheduledExecutorService waits = context.getExecutorServiceManager().newScheduledThreadPool(this, "wait", 4);
        registry.bind("waitScheduler", waits);
        ReplicateWiring.bind(context, settings, journal, prices, budget, waits);
        // plans and scenes waiting for a concurrency permit (inbox and scene throttles): Camel's own pool per throttle
        // would grow to ten threads each just by scheduling its clean-ups
        ScheduledExecutorService permits = context.getExecutorServiceManager().newScheduledThreadPool(this, "permit", 2);
        registry.bind("throttleScheduler", permits);
        // a dead letter the dead-letter folder refused is tried again on this one
        ScheduledExecutorService letters = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "dead-letter-retry");
        long every = Math.max(1, inbox.deadLetterRetry().toMillis());
        letters.scheduleWithFixedDelay(deadLetters::retry, every, every, TimeUnit.MILLISECONDS);
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws IOException {
                    context.getExecutorServiceManager().shutdownNow(waits);
                    context.getExecutorServiceManager().shutdownNow(permits);
                    context.getExecutorServiceManager().shutdownNow(letters);
                    providerExecutors.forEach(context.getExecutorServiceManager()::shutdownNow);
                    workLock.close();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        // Scenes and chains wait (backoff, polls, permits) without holding a thread, so the pools stay small however
        // many scenes are in flight; pipeline.scene-concurrency is held by the scene throttle, not by these pools.
        int workers = Math.min(settings.concurrency().workerThreads(), 2 * settings.concurrency().scenes());
        registry.bind("sceneExecutor", context.getExecutorServiceManager()
                .newFixedThreadPool(this, "scene", Math.min(settings.concurrency().workerThreads(), settings.concurrency().scenes())));
        registry.bind("chainExecutor", context.getExecutorServiceManager().newFixedThreadPool(this, "chain", workers));
    }

    static void ensureWritable(String key, Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException | RuntimeException e) {
            throw new SettingsException(key + ": cannot create folder " + folder.toAbsolutePath() + " (" + e.getMessage() + ")");
        }
        if (!Files.isDirectory(folder) || !Files.isWritable(folder)) {
            throw new SettingsException(key + ": folder " + folder.toAbsolutePath() + " is not writable");
        }
    }
}
