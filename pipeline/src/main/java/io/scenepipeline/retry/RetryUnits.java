package io.scenepipeline.retry;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.spi.UnitOfWork;

import java.util.Map;

/**
 * Every call into a retry unit ({@code direct:}) from a route that runs under a retry component's route configuration
 * passes here, and goes to that component's {@link RetryDecider#enter}: a new unit counts its attempts afresh, a
 * redelivery goes on counting. Camel applies a route configuration's {@code interceptSendToEndpoint} to the endpoint
 * itself, for whichever route sends to it, so the one interception serves all components and this finds the component
 * by the sending route's configuration; calls from other routes pass unchanged.
 */
public final class RetryUnits {

    private final Map<String, RetryDecider> deciders;

    public RetryUnits(Map<String, RetryDecider> deciders) {
        this.deciders = Map.copyOf(deciders);
    }

    public void enter(Exchange exchange) {
        UnitOfWork work = exchange.getUnitOfWork();
        Route route = work == null ? null : work.getRoute();
        RetryDecider decider = route == null || route.getConfigurationId() == null ? null : deciders.get(route.getConfigurationId());
        if (decider != null) {
            decider.enter(exchange);
        }
    }
}
