package io.scenepipeline.lifecycle;

import io.scenepipeline.plan.Scene;
import io.scenepipeline.run.PlanOutcome;
import io.scenepipeline.run.SceneResult;
import io.scenepipeline.run.Steps;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * The scene split's aggregation strategy (routes/plan.camel.yaml): each scene's exchange, as it ends, goes into the
 * plan's {@link PlanOutcome}, the body the split returns. A scene that failed for good comes back with the failure its
 * route caught ({@link SceneResult#failure()}); a scene that was not started (the plan had failed already) adds nothing.
 */
public final class SceneOutcomes implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange outcome, Exchange scene) {
        throw new UnsupportedOperationException("the plan's exchange is needed: aggregate(outcome, scene, plan)");
    }

    @Override
    public Exchange aggregate(Exchange outcome, Exchange scene, Exchange plan) {
        // a copy of the plan's exchange, never a scene's (which holds its permits until it is done): the split then
        // gives the plan back its own headers and properties, with the outcome as the body
        Exchange into = outcome != null ? outcome : plan.copy();
        PlanOutcome sofar = outcome != null ? outcome.getIn().getBody(PlanOutcome.class) : PlanOutcome.NONE;
        into.getIn().setBody(with(sofar, scene));
        return into;
    }

    private static PlanOutcome with(PlanOutcome sofar, Exchange exchange) {
        Scene scene = Steps.scene(exchange);
        if (scene == null) {
            return sofar;
        }
        SceneResult result = Steps.sceneResult(exchange);
        Throwable failure = exchange.getException() != null ? exchange.getException() : result.failure();
        if (failure != null) {
            return sofar.withFailure(scene.sceneNumber(), failure);
        }
        return result.complete() ? sofar.withDone(scene.sceneNumber()) : sofar;
    }
}
