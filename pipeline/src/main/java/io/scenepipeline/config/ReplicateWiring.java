package io.scenepipeline.config;

import io.scenepipeline.provider.AccountPace;
import io.scenepipeline.provider.Prices;
import io.scenepipeline.provider.replicate.PredictionAdoption;
import io.scenepipeline.provider.replicate.PredictionCancel;
import io.scenepipeline.provider.replicate.PredictionOutputs;
import io.scenepipeline.provider.replicate.PredictionPolls;
import io.scenepipeline.provider.replicate.PredictionWaits;
import io.scenepipeline.provider.replicate.ReplicateSteps;
import io.scenepipeline.provider.replicate.ReplicateWebhooks;
import io.scenepipeline.run.Budget;
import io.scenepipeline.state.StepJournal;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Replicate protocol's beans (docs/providers.md): the steps, polling and its waits, adoption, cancel, outputs and
 * webhooks, on the account's paces bound by {@link ProviderWiring}.
 */
final class ReplicateWiring {

    private ReplicateWiring() {
    }

    static ReplicateWebhooks bind(CamelContext context, PipelineSettings settings, StepJournal journal, Prices prices, Budget budget,
                                  ScheduledExecutorService waits) {
        Registry registry = context.getRegistry();
        AccountPace creates = registry.lookupByNameAndType("replicateCreatePace", AccountPace.class);
        AccountPace requests = registry.lookupByNameAndType("replicateRequestPace", AccountPace.class);
        ExecutorService calls = registry.lookupByNameAndType("replicateCalls", ExecutorService.class);
        ReplicateSteps replicate = new ReplicateSteps(settings.replicate(), journal, prices, budget, creates);
        registry.bind("replicate", replicate);
        registry.bind("replicateCancel", new PredictionCancel(settings.replicate(), replicate));
        registry.bind("replicateAdoption", new PredictionAdoption(settings.replicate(), replicate));
        PredictionPolls polls = new PredictionPolls(settings.replicate(), replicate, requests);
        registry.bind("replicatePolls", polls);
        PredictionWaits pollWait = new PredictionWaits(polls::pollDelay, waits, calls);
        registry.bind("replicatePollWait", pollWait);
        // a plan the operator cancels: its predictions are polled at once, then canceled (no longer billed)
        registry.lookupByNameAndType("runningPlans", io.scenepipeline.run.RunningPlans.class).onCancel(pollWait::wake);
        registry.bind("replicateOutputs", new PredictionOutputs(settings.replicate(), journal, replicate, prices));
        ReplicateWebhooks webhooks = new ReplicateWebhooks(settings.replicate(), pollWait);
        registry.bind("replicateWebhooks", webhooks);
        if (webhooks.enabled()) {
            try {
                context.addStartupListener(new ManagementRoutes(webhooks));
            } catch (Exception e) {
                throw new IllegalStateException("cannot listen for Camel's start", e);
            }
        }
        return webhooks;
    }
}
