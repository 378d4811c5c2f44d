package io.scenepipeline.config;

import io.scenepipeline.console.Console;
import io.scenepipeline.console.ConsoleServer;
import io.scenepipeline.console.Operations;
import io.scenepipeline.console.ProviderViews;
import io.scenepipeline.observe.PipelineMetrics;
import io.scenepipeline.output.CostEstimate;
import io.scenepipeline.plan.PlanParser;
import io.scenepipeline.provider.AccountPace;
import io.scenepipeline.provider.Prices;
import io.scenepipeline.provider.ServerSlots;
import io.scenepipeline.retry.ProviderBreaker;
import io.scenepipeline.retry.RetryBudget;
import io.scenepipeline.state.Pauses;
import io.scenepipeline.state.StepJournal;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The operator console (docs/console.md), mounted on the management server once Camel has started: its folders, the
 * plans running (here, or in cluster mode on every node), the providers' figures, the redrive's validation and estimate.
 */
final class ConsoleWiring {

    /** The setting whose value every API request (and every action) must carry as a bearer token, when set. */
    static final String TOKEN = "management.token";

    private ConsoleWiring() {
    }

    static void bind(CamelContext context, PipelineSettings settings, String token, Operations operations, StepJournal journal,
                     Prices prices) {
        Registry registry = context.getRegistry();
        PipelineSettings.Folders folders = settings.folders();
        PlanParser parser = new PlanParser(settings.steps().faceRigEnabled(), settings.limits().maxScenes(), settings.limits().maxTextChars());
        ProviderViews.Sources sources = new ProviderViews.Sources(registry.lookupByNameAndType("pipelineMetrics", PipelineMetrics.class),
                registry.lookupByNameAndType("retryBudget", RetryBudget.class),
                registry.lookupByNameAndType("providerBreaker", ProviderBreaker.class), operations.pauses(),
                registry.lookupByNameAndType("replicateCreatePace", AccountPace.class),
                registry.lookupByNameAndType("replicateRequestPace", AccountPace.class),
                registry.lookupByNameAndType("elevenlabsSlots", ServerSlots.class),
                registry.lookupByNameAndType("facerigServers", ServerSlots.class));
        ConsoleServer server = Console.server(token, new Console.Folders(folders.inbox(), folders.outbox(), folders.deadLetter()),
                operations, parser, new CostEstimate(settings.replicate(), settings.elevenlabs(), prices, journal),
                settings.limits().maxPlanBytes(), sources);
        try {
            context.addStartupListener(server);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for Camel's start", e);
        }
    }
}
