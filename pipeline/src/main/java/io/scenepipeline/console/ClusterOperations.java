package io.scenepipeline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.RunningPlans;
import io.scenepipeline.state.Pauses;
import io.scenepipeline.state.jdbc.JdbcConsoleState;
import io.scenepipeline.support.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console in cluster mode (docs/console.md): the same view and actions from any node. Each node publishes its
 * running plans once a second to the journal's database and reads the others'; a cancel of a plan that runs on another
 * node is asked there and carried out by that node within a second; a pause is a row every node reads before its calls.
 */
public final class ClusterOperations implements Operations {

    private final RunningPlans local;
    private final JdbcConsoleState shared;

    public ClusterOperations(RunningPlans local, JdbcConsoleState shared) {
        this.local = local;
        this.shared = shared;
    }

    /** Once a second: publish this node's running plans, carry out the cancels asked of them, read the pauses. */
    public void tick() {
        Map<String, String> views = new LinkedHashMap<>();
        for (PlanRun run : local.all()) {
            views.put(run.planId(), Json.write(PlanViews.live(run, shared.node())));
        }
        for (JdbcConsoleState.CancelAsk ask : shared.refresh(views)) {
            PlanRun run = local.get(ask.planId());
            if (run != null && !run.startedAt().isAfter(ask.at())) {
                local.cancel(ask.planId(), ask.by());
                shared.canceled(ask.planId());
            }
        }
    }

    @Override
    public List<ObjectNode> running() {
        List<ObjectNode> all = new ArrayList<>();
        local.all().forEach(r -> all.add(PlanViews.live(r, shared.node())));
        try {
            for (String view : shared.othersLive()) {
                JsonNode n = Json.read(view);
                if (n instanceof ObjectNode o) {
                    all.add(o);
                }
            }
        } catch (RuntimeException e) {
            // the database does not answer: this node's plans are still shown
        }
        all.sort(Comparator.comparing((ObjectNode n) -> n.path("started_at").asText("")).reversed());
        return all;
    }

    @Override
    public Cancel cancel(String planId, String by) {
        PlanRun run = local.get(planId);
        if (run != null) {
            if (run.canceled()) {
                return Cancel.ALREADY;
            }
            local.cancel(planId, by);
            return Cancel.CANCELED;
        }
        for (ObjectNode other : running()) {
            if (planId.equals(other.path("plan_id").asText())) {
                if (other.path("canceling").asBoolean(false)) {
                    return Cancel.ALREADY;
                }
                shared.askCancel(planId, by);
                return Cancel.CANCELED;
            }
        }
        return Cancel.NOT_RUNNING;
    }

    @Override
    public Pauses pauses() {
        return shared;
    }
}
