package io.scenepipeline.config;

import io.scenepipeline.retry.Backoff;
import io.scenepipeline.retry.StepFailureHandler;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;

import java.util.Map;

/**
 * One route configuration per retry component ({@code video}, {@code facerig}, {@code storyboard}; docs/retries.md),
 * each defined here once from its {@link Backoff}. Two clauses, both for any exception:
 * <ul>
 *   <li>{@code <component>-retryable}: taken when the {@code failureClassifier} bean (by exception type and HTTP status
 *       only) says the failure is transient; Camel redelivers the failed call with the component's exponential
 *       backoff, waiting on the {@code waitScheduler} (no thread held), while the failure handler grants the retry
 *       (attempts left and the provider's retry budget not spent: {@code retryWhile});</li>
 *   <li>{@code <component>-permanent}: everything else fails at once.</li>
 * </ul>
 * The {@code <component>Failures} bean ({@code StepFailureHandler}, on each failure) logs the attempt in the original
 * pipeline's words, sets the coming wait (Camel's policy, raised to what a 429 asks) and records the final failure;
 * Camel's own retry logging is off, those lines say it. YAML cannot template a route configuration, hence Java.
 */
public final class RetryConfigurations extends RouteConfigurationBuilder {

    private final Map<String, Backoff> components;

    public RetryConfigurations(Map<String, Backoff> components) {
        this.components = Map.copyOf(components);
    }

    @Override
    public void configuration() {
        components.forEach((component, b) -> {
            String explain = component + "Failures";
            RouteConfigurationDefinition configuration = routeConfiguration(component);
            configuration.errorHandler(defaultErrorHandler().executorServiceRef("waitScheduler").maximumRedeliveries(0)
                    .logExhausted(false).logRetryAttempted(false).logStackTrace(false));
            configuration.onException(Exception.class).id(component + "-retryable")
                    .onWhen(method("failureClassifier", "retryable"))
                    .onExceptionOccurredRef(explain)
                    .retryWhile(exchangeProperty(StepFailureHandler.RETRY).isEqualTo(true))
                    .maximumRedeliveries(b.maximumRedeliveries()).redeliveryDelay(b.redeliveryDelay())
                    .useExponentialBackOff().backOffMultiplier(b.backOffMultiplier())
                    .maximumRedeliveryDelay(b.maximumRedeliveryDelay())
                    .useCollisionAvoidance().collisionAvoidanceFactor(b.collisionAvoidanceFactor())
                    .asyncDelayedRedelivery()
                    .logRetryAttempted(false).logExhausted(false).logStackTrace(false);
            configuration.onException(Exception.class).id(component + "-permanent")
                    .onExceptionOccurredRef(explain)
                    .maximumRedeliveries(0).logExhausted(false).logStackTrace(false);
        });
    }
}
