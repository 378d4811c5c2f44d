package io.scenepipeline.config;

import io.scenepipeline.assembly.Assembly;
import io.scenepipeline.assembly.AssemblySettings;
import io.scenepipeline.lifecycle.InboxErrors;
import io.scenepipeline.lifecycle.InboxGuard;
import io.scenepipeline.lifecycle.PlanDeadLetter;
import io.scenepipeline.lifecycle.PlanIntake;
import io.scenepipeline.lifecycle.PlanLifecycle;
import io.scenepipeline.lifecycle.PlanOutcomes;
import io.scenepipeline.lifecycle.PlanReadLock;
import io.scenepipeline.lifecycle.SceneOutcomes;
import io.scenepipeline.lifecycle.ShutdownWatch;
import io.scenepipeline.observe.PipelineMetrics;
import io.scenepipeline.output.DeadLetters;
import io.scenepipeline.plan.PlanParser;
import io.scenepipeline.retry.ProviderBreaker;
import io.scenepipeline.run.RunStats;
import io.scenepipeline.state.PlanRecovery;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.support.Secrets;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

import java.util.function.Function;

/**
 * A plan's way through (docs/folders.md): its intake (read lock, validation, staging), its lifecycle (scenes, progress,
 * publishing), the final video, its dead letter, and the stop that may cut it off.
 */
final class PlanWiring {

    private PlanWiring() {
    }

    static void bind(CamelContext context, Function<String, String> lookup, PipelineSettings settings, boolean clusterMode,
                     PlanReadLock readLock, StepJournal journal, DeadLetters deadLetters, RunStats stats, Secrets secrets,
                     ProviderBreaker breaker, PipelineMetrics metrics) {
        Registry registry = context.getRegistry();
        PipelineSettings.Folders folders = settings.folders();
        boolean faceRig = settings.steps().faceRigEnabled();
        Assembly assembly = new Assembly(AssemblySettings.from(lookup), journal, folders.work(), faceRig);
        registry.bind("assembly", assembly);
        registry.bind("planLifecycle", new PlanLifecycle(folders.outbox(), folders.work(), faceRig, stats, breaker,
                metrics, assembly.enabled(), journal, new io.scenepipeline.output.RunHistory(folders.outbox(), folders.deadLetter())));
        PlanIntake intake = new PlanIntake(folders.work(), settings.limits().maxPlanBytes(), new PlanParser(
                faceRig, settings.limits().maxScenes(), settings.limits().maxTextChars()), metrics, journal,
                registry.lookupByNameAndType("runningPlans", io.scenepipeline.run.RunningPlans.class));
        registry.bind("planIntake", intake);
        registry.bind("sceneOutcomes", new SceneOutcomes());
        ShutdownWatch shutdown = new ShutdownWatch(context, PlanRecovery.inflight(folders.work()), intake, clusterMode);
        context.getManagementStrategy().addEventNotifier(shutdown);
        registry.bind("planOutcomes", new PlanOutcomes(shutdown, journal));
        PlanDeadLetter planDeadLetter = new PlanDeadLetter(deadLetters, stats, secrets, metrics, journal);
        registry.bind("planDeadLetter", planDeadLetter);
        registry.bind("inboxGuard", new InboxGuard(folders.inbox(), planDeadLetter::setAside));
        registry.bind("inboxErrors", new InboxErrors(clusterMode));
        registry.bind("planReadLock", readLock);
    }
}
