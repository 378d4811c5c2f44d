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

    /** Whole views (every scene's timeline) are published every this many ticks; summaries every tick. */
    static final int WHOLE_EVERY = 5;
    private int ticks;

    /**
     * Once a second: publish this node's running plans (their summaries; every fifth second their whole views, which a
     * plan of hundreds of scenes makes large), carry out the cancels asked of them, read the pauses.
     */
    public void tick() {
        boolean whole = ticks++ % WHOLE_EVERY == 0;
        Map<String, JdbcConsoleState.Live> views = new LinkedHashMap<>();
        for (PlanRun run : local.all()) {
            views.put(run.planId(), new JdbcConsoleState.Live(Json.write(PlanViews.summary(run, shared.node())),
                    whole ? Json.write(PlanViews.live(run, shared.node())) : null));
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
        local.all().forEach(r -> all.add(PlanViews.summary(r, shared.node())));
        try {
            for (String view : shared.othersLive(null)) {
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
    public java.util.Optional<ObjectNode> live(String planId) {
        PlanRun run = local.get(planId);
        if (run != null) {
            return java.util.Optional.of(PlanViews.live(run, shared.node()));
        }
        try {
            return shared.othersLive(planId).stream().map(Json::read).filter(ObjectNode.class::isInstance).map(ObjectNode.class::cast)
                    .findFirst();
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
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
