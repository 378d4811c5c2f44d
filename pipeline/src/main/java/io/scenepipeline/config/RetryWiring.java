package io.scenepipeline.config;

import io.scenepipeline.observe.PipelineMetrics;
import io.scenepipeline.provider.DiskRoom;
import io.scenepipeline.provider.ServerSlots;
import io.scenepipeline.provider.elevenlabs.ElevenLabsSteps;
import io.scenepipeline.retry.FailureClassifier;
import io.scenepipeline.retry.ProviderBreaker;
import io.scenepipeline.retry.RetryBudget;
import io.scenepipeline.retry.RetryDecider;
import io.scenepipeline.retry.RetrySettings;
import io.scenepipeline.retry.RetryUnits;
import io.scenepipeline.retry.StepFailureHandler;
import io.scenepipeline.retry.Throttling;
import io.scenepipeline.support.Secrets;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Registry;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The retry components (docs/retries.md): for each, its route configuration ({@link RetryConfigurations}), the
 * {@link RetryDecider} it asks ({@code <component>Retries}), the way into its retry units ({@code retryUnits}) and the failure handler that says and counts each decision
 * ({@code <component>Failures}); the classifier, the retry budget and the throttling they share.
 */
final class RetryWiring {

    private RetryWiring() {
    }

    static void bind(CamelContext context, Function<String, String> lookup, PipelineSettings settings, Secrets secrets,
                     ProviderBreaker breaker, PipelineMetrics metrics, DiskRoom disk, io.scenepipeline.state.Pauses pauses) {
        RetrySettings retry = settings.retry();
        try {
            context.addRoutes(new RetryConfigurations(retry.components()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot define the retry configurations", e);
        }
        FailureClassifier classifier = FailureClassifier.ofStatusList(retry.retryableStatusCodes());
        RetryBudget budget = RetryBudget.from(lookup, retry.maxRedeliveries());
        context.getRegistry().bind("retryBudget", budget);
        Throttling throttling = new Throttling(retry.throttleLimit(), () -> disk.shortage() != null);
        Registry registry = context.getRegistry();
        ServerSlots faceRig = registry.lookupByNameAndType("facerigServers", ServerSlots.class);
        ServerSlots elevenlabs = registry.lookupByNameAndType("elevenlabsSlots", ServerSlots.class);
        Map<String, RetryDecider> deciders = new HashMap<>();
        for (String component : RetrySettings.COMPONENTS) {
            // a face_rig call that lost its connection sets its server aside before its retry is scheduled,
            // and an ElevenLabs answer that states the account's concurrency sets its slots
            BiConsumer<Exchange, Throwable> listener = "facerig".equals(component)
                    ? (exchange, failure) -> {
                        faceRig.failed(exchange, failure);
                        ElevenLabsSteps.accountLimit(failure, elevenlabs::limitTo);
                    } : (exchange, failure) -> { };
            RetryDecider decider = new RetryDecider(component, retry.components().get(component), classifier, budget, throttling, pauses);
            deciders.put(component, decider);
            registry.bind(component + "Retries", decider);
            registry.bind(component + "Failures", new StepFailureHandler(decider, secrets, breaker, metrics, listener));
        }
        registry.bind("retryUnits", new RetryUnits(deciders));
    }
}
