package io.scenepipeline.config;

import io.scenepipeline.console.Operations;
import io.scenepipeline.state.jdbc.JdbcConsoleState;
import io.scenepipeline.lifecycle.InboxSettings;
import io.scenepipeline.lifecycle.PlanReadLock;
import io.scenepipeline.observe.PipelineMetrics;
import io.scenepipeline.output.DeadLetters;
import io.scenepipeline.provider.DiskRoom;
import io.scenepipeline.provider.Prices;
import io.scenepipeline.provider.ServerSlots;
import io.scenepipeline.provider.elevenlabs.ElevenLabsSteps;
import io.scenepipeline.provider.facerig.FaceRigSteps;
import io.scenepipeline.retry.ProviderBreaker;
import io.scenepipeline.run.Budget;
import io.scenepipeline.state.Pauses;
import io.scenepipeline.run.RunStats;
import io.scenepipeline.run.RunningPlans;
import io.scenepipeline.state.FileStepJournal;
import io.scenepipeline.state.SlotLedger;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.state.WorkLock;
import io.scenepipeline.support.IntakeSwitch;
import io.scenepipeline.support.Secrets;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.stream.Stream;
import java.lang.management.ManagementFactory;

/**
 * Binds the pipeline's beans before the YAML routes load (camel-main {@code camel.main.configuration-classes}): every
 * setting read once into {@link PipelineSettings} (each time key in one format, {@link TimeKeys}), then each concern
 * wired by its own class, in the order they depend on each other: folders and the work lock, the journal (a file, or
 * PostgreSQL in cluster mode), recovery, the breaker and the disk, metrics, providers, retries, the plan's way through,
 * readiness, the pools.
 */
public class PipelineConfiguration implements CamelConfiguration {

    /** Registry name of the {@link RunStats}; the CLI may bind its own before startup. */
    public static final String RUN_STATS = "runStats";

    @Override
    public void configure(CamelContext context) {
        TimeKeys.toMillis(context.getPropertiesComponent());
        Function<String, String> lookup = key -> context.getPropertiesComponent().resolveProperty(key).orElse(null);
        PipelineSettings settings = PipelineSettings.from(lookup);
        Registry registry = context.getRegistry();
        registry.bind("pipelineSettings", settings);
        RunStats stats = registry.lookupByNameAndType(RUN_STATS, RunStats.class);
        if (stats == null) {
            stats = new RunStats();
            registry.bind(RUN_STATS, stats);
        }
        WorkLock workLock = FolderWiring.lock(context, settings.folders());
        InboxSettings inbox = InboxSettings.from(lookup);
        PlanReadLock readLock = new PlanReadLock(inbox.minAgeMs(), inbox.checkIntervalMs(), inbox.settleMs(), settings.limits().maxPlanBytes());
        ClusterSettings cluster = ClusterSettings.from(lookup, settings.folders().work());
        StepJournal journal;
        SlotLedger ledger;
        JdbcConsoleState shared = null;
        if (cluster == null) {
            journal = new FileStepJournal(settings.folders().work().resolve("journal"));
            ledger = SlotLedger.LOCAL;
        } else {
            FolderWiring.ensureWritable("pipeline.artifacts", cluster.artifacts());
            ClusterWiring.Cluster parts = ClusterWiring.bind(context, this, cluster, readLock);
            journal = parts.journal();
            ledger = parts.ledger();
            shared = parts.console();
        }
        registry.bind("journal", journal);
        DeadLetters deadLetters = FolderWiring.recover(context, settings, journal);
        String token = lookup.apply(ConsoleWiring.TOKEN);
        Secrets secrets = new Secrets(Stream.of(settings.secrets(), cluster == null ? List.<String>of() : cluster.secrets(),
                token == null || token.isBlank() ? List.<String>of() : List.of(token)).flatMap(List::stream).toList());
        // the intake's consumer, paused while the breaker is open or the disk is short
        IntakeSwitch intakeSwitch = new IntakeSwitch(List.of("inbox", "cluster-plans"));
        intakeSwitch.start(context);
        ProviderBreaker breaker = new ProviderBreaker(settings.breaker(), intakeSwitch);
        registry.bind("providerBreaker", breaker);
        DiskRoom disk = DiskWiring.bind(context, this, settings, cluster == null ? null : cluster.artifacts(), intakeSwitch);
        DiskWiring.faceRig(context, this, settings, intakeSwitch, new io.scenepipeline.support.SettingsReader(lookup).millis("facerig.watch-interval", 100));
        PipelineMetrics metrics = ObserveWiring.metrics(context, breaker);
        if (cluster != null) {
            ObserveWiring.clusterFigures(context, this, journal);
        }
        List<ExecutorService> providerExecutors = ProviderWiring.bind(context, this, settings, ledger);
        // what the operator steers (docs/console.md): the plans running here, the providers paused
        RunningPlans running = new RunningPlans();
        registry.bind("runningPlans", running);
        running.onStartAndEnd(metrics::planRunning, metrics::planGone);
        // each plan one trace, over OTLP, when an endpoint is set (off otherwise)
        TracingWiring.bind(context, lookup.apply(TracingWiring.ENDPOINT), cluster == null
                ? ManagementFactory.getRuntimeMXBean().getName() : cluster.node(), running);
        // cluster mode: the pauses and the running plans of every node, in the journal's database
        Pauses pauses = shared == null ? Pauses.inMemory() : shared;
        Operations operations = shared == null ? Operations.local(running, pauses) : ClusterWiring.console(context, this, running, shared);
        registry.bind("pauses", pauses);
        RetryWiring.bind(context, lookup, settings, secrets, breaker, metrics, disk, pauses);
        PlanWiring.bind(context, lookup, settings, cluster != null, readLock, journal, deadLetters, stats, secrets, breaker, metrics);
        ObserveWiring.healthChecks(context, settings.folders(), breaker, deadLetters);
        ScheduledExecutorService waits = ExecutorWiring.bind(context, this, settings, deadLetters, inbox.deadLetterRetry(),
                providerExecutors, workLock);
        // the price of every model a plan may name, and the budget per plan (docs/costs.md)
        Prices prices = Prices.of(lookup, settings.elevenlabs().model());
        registry.bind("prices", prices);
        Budget budget = Budget.parse(java.util.Objects.requireNonNullElse(lookup.apply("pipeline.max-cost-per-plan"), ""));
        ServerSlots elevenlabsSlots = registry.lookupByNameAndType("elevenlabsSlots", ServerSlots.class);
        registry.bind("elevenlabs", new ElevenLabsSteps(settings.elevenlabs(), journal, prices, budget, elevenlabsSlots::limitTo));
        registry.bind("facerig", new FaceRigSteps(journal, settings.facerig().origin()));
        ReplicateWiring.bind(context, settings, journal, prices, budget, waits);
        ConsoleWiring.bind(context, settings, token, operations, journal, prices);
    }
}
