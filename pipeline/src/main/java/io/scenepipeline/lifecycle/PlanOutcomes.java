package io.scenepipeline.lifecycle;

import io.scenepipeline.plan.PlanIds;
import io.scenepipeline.retry.FailureClassifier;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.Steps;
import io.scenepipeline.state.ClaimLostException;
import io.scenepipeline.state.Claims;
import io.scenepipeline.state.StepKeys;
import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.Causes;
import io.scenepipeline.support.log.Logs;
import org.apache.camel.Exchange;
import org.slf4j.Logger;

import java.io.IOException;
import java.util.Optional;

/**
 * The two ends of a plan that are not its failure, each its own {@code onException} clause ahead of the dead-letter
 * channel ({@code routes/plan-outcomes.camel.yaml}), so that the channel only dead-letters: a stop cut the plan off
 * ({@link #cutOff}), or, in cluster mode, the plan is no longer this node's ({@link #handedOn}: it stood still past its
 * lease and another node took it over). Either way the plan is left, not ended: its file stays in
 * {@code pipeline.work/inflight/} for the next start (the exchange fails, quietly), its message goes back to the
 * plans queue (rolled back, quietly).
 */
public final class PlanOutcomes {

    private static final Logger LOG = Logs.of(PlanOutcomes.class);

    private final ShutdownWatch shutdown;
    private final Claims journal;

    public PlanOutcomes(ShutdownWatch shutdown, Claims journal) {
        this.shutdown = shutdown;
        this.journal = journal;
    }

    /** For the clause's {@code onWhen}: a stop cut the plan off. */
    public boolean cutOff(Exchange exchange) {
        return shutdown.cutOff(FailureClassifier.caught(exchange));
    }

    /** For the clause's {@code onWhen}: cluster mode, the plan is no longer this node's, whatever failed here. */
    public boolean handedOn(Exchange exchange) {
        return lostClaim(exchange).isPresent();
    }

    private Optional<Throwable> lostClaim(Exchange exchange) {
        Optional<Throwable> lost = Causes.of(FailureClassifier.caught(exchange)).stream()
                .filter(ClaimLostException.class::isInstance).findFirst();
        PlanRun run = Steps.run(exchange);
        if (lost.isEmpty() && run != null) {
            try {
                journal.checkClaim(StepKeys.planKey(run.planId()));
            } catch (ClaimLostException e) {
                lost = Optional.of(e);
            }
        }
        return lost;
    }

    /** The plan a stop cut off stays for the next start (or another node). */
    public void leaveCutOff(Exchange exchange) {
        leave(exchange);
    }

    /** The plan another node took over: said once; what this node made for it is in the journal the other node reads. */
    public void leaveHandedOn(Exchange exchange) throws IOException {
        PlanRun run = Steps.run(exchange);
        String why = lostClaim(exchange).map(Throwable::getMessage).orElse("the plan's claim was lost");
        LOG.warn("plan={} Left to the node that took it over: {}", planId(exchange), why);
        if (run != null) {
            AtomicFiles.deleteTree(run.stagingDir());
        }
        leave(exchange);
    }

    /**
     * The exchange fails (its clause does not handle the failure), so a file stays where it is and the inbox consumer
     * says nothing of it ({@link InboxErrors} knows it was left); a message from the plans queue is rolled back, which
     * its listener takes quietly.
     */
    private static void leave(Exchange exchange) {
        PlanDelivery delivery = PlanDelivery.of(exchange);
        delivery.left();
        if (delivery.fromQueue()) {
            exchange.setRollbackOnly(true);
        }
    }

    private static String planId(Exchange exchange) {
        PlanRun run = Steps.run(exchange);
        return run != null ? run.planId() : PlanIds.choose(null, PlanIntake.fileName(exchange));
    }
}
