package io.scenepipeline.config;

import io.scenepipeline.retry.Backoff;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;

import java.util.Map;

/**
 * One route configuration per retry component ({@code video}, {@code facerig}, {@code storyboard}; docs/retries.md),
 * each defined here once from its {@link Backoff}, with one clause for any exception ({@code <component>-retry}). The
 * component's {@code RetryDecider} ({@code <component>Retries}) decides it all: {@code retryWhile} asks it whether
 * the failed call is redelivered (a "slow down" waited out; a transient failure while attempts and the retry budget
 * last; nothing else), and every call from the component's routes into a retry unit ({@code direct:}) passes it first
 * ({@code retryUnits}), so a new unit counts its attempts afresh while a redelivery goes on counting. Camel redelivers on the
 * {@code waitScheduler} (no thread held) after the wait the {@code <component>Failures} handler sets from the same
 * decision, and logs it in the original pipeline's words; Camel's own retry logging is off. YAML cannot template a route
 * configuration, hence Java.
 */
public final class RetryConfigurations extends RouteConfigurationBuilder {

    private final Map<String, Backoff> components;

    public RetryConfigurations(Map<String, Backoff> components) {
        this.components = Map.copyOf(components);
    }

    @Override
    public void configuration() {
        components.forEach((component, b) -> {
            String decider = component + "Retries";
            RouteConfigurationDefinition configuration = routeConfiguration(component);
            configuration.errorHandler(defaultErrorHandler().executorServiceRef("waitScheduler").maximumRedeliveries(0)
                    .logExhausted(false).logRetryAttempted(false).logStackTrace(false));
            // a call into a retry unit: a new unit, or the redelivery just granted (Camel intercepts the endpoint for
            // every route that sends to it, whichever configuration declares it: retryUnits finds the component)
            configuration.interceptSendToEndpoint("direct:*").bean("retryUnits", "enter");
            configuration.onException(Exception.class).id(component + "-retry")
                    .onExceptionOccurredRef(component + "Failures")
                    .retryWhile(method(decider, "redeliver"))
                    .redeliveryDelay(b.redeliveryDelay())
                    .useExponentialBackOff().backOffMultiplier(b.backOffMultiplier())
                    .maximumRedeliveryDelay(b.maximumRedeliveryDelay())
                    .useCollisionAvoidance().collisionAvoidanceFactor(b.collisionAvoidanceFactor())
                    .asyncDelayedRedelivery()
                    .logRetryAttempted(false).logExhausted(false).logStackTrace(false);
        });
    }
}
