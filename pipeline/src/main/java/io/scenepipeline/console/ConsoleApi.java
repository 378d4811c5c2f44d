package io.scenepipeline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scenepipeline.state.Pauses;
import io.scenepipeline.support.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import io.scenepipeline.support.log.Logs;

/**
 * The console's JSON API (docs/console.md), one method per path: what the plans, the dead letters and the providers are,
 * and the operator's actions on them (cancel a plan, redrive dead letters, pause and resume a provider). It reads and
 * acts through {@link Operations}, which knows whether the pipeline runs alone or as one node of a cluster.
 */
public final class ConsoleApi {

    /** One request: the path's parameters, the query's, the JSON body of an action, and the caller's address. */
    public record Request(Map<String, String> path, Function<String, String> query, JsonNode body, String remote) {
    }

    /** An answer: its HTTP status and JSON body. */
    public record Answer(int status, JsonNode body) {
        static Answer ok(JsonNode body) {
            return new Answer(200, body);
        }

        static Answer error(int status, String message) {
            return new Answer(status, ConsoleServer.error(message));
        }
    }

    private static final Logger LOG = Logs.of(ConsoleApi.class);
    private static final Pattern OPERATOR = Pattern.compile("[\\p{L}\\p{N} ._@()-]{1,60}");
    private static final int DEFAULT_LIMIT = 200;

    private final Operations operations;
    private final PlanViews plans;
    private final DeadLetterViews deadLetters;
    private final Redrives redrives;
    private final ProviderViews providers;

    ConsoleApi(Operations operations, PlanViews plans, DeadLetterViews deadLetters, Redrives redrives, ProviderViews providers) {
        this.operations = operations;
        this.plans = plans;
        this.deadLetters = deadLetters;
        this.redrives = redrives;
        this.providers = providers;
    }

    Answer plans(Request r) throws IOException {
        String status = r.query().apply("status");
        if ("failed".equals(status)) {
            status = PlanViews.DEAD_LETTERED;
        }
        if (status != null && !List.of(PlanViews.WAITING, PlanViews.RUNNING, PlanViews.SUCCEEDED, PlanViews.DEAD_LETTERED).contains(status)) {
            throw new IllegalArgumentException("status: one of waiting, running, succeeded, dead-lettered (or failed)");
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.set("plans", PlanViews.array(plans.list(status, limit(r))));
        return Answer.ok(n);
    }

    Answer plan(Request r) throws IOException {
        String id = r.path().get("id");
        Optional<ObjectNode> plan = plans.detail(id);
        return plan.map(Answer::ok).orElseGet(() -> Answer.error(404, "no plan " + id + " is running, finished or dead-lettered"));
    }

    Answer cancel(Request r) {
        String id = r.path().get("id");
        String by = by(r);
        return switch (operations.cancel(id, by)) {
            case CANCELED -> {
                LOG.warn("plan={} Canceled by {}: its calls stop, its running predictions are canceled", id, by);
                ObjectNode n = Json.MAPPER.createObjectNode();
                n.put("plan_id", id);
                n.put("canceled_by", by);
                n.put("outcome", "its running calls stop and its predictions are canceled; it goes to the dead letters");
                yield new Answer(202, n);
            }
            case ALREADY -> Answer.error(409, "plan " + id + " is being canceled already");
            case NOT_RUNNING -> Answer.error(404, "plan " + id + " is not running");
        };
    }

    Answer deadLetters(Request r) throws IOException {
        ObjectNode filter = Json.MAPPER.createObjectNode();
        for (String f : List.of("provider", "kind", "since")) {
            if (r.query().apply(f) != null) {
                filter.put(f, r.query().apply(f));
            }
        }
        List<DeadLetterViews.Letter> letters = deadLetters.list(DeadLetterViews.Filter.of(filter));
        ObjectNode n = Json.MAPPER.createObjectNode();
        ArrayNode a = n.putArray("dead_letters");
        letters.stream().limit(limit(r)).forEach(l -> a.add(l.summary()));
        return Answer.ok(n);
    }

    Answer redrive(Request r) throws IOException {
        String id = r.path().get("id");
        Optional<DeadLetterViews.Letter> letter = deadLetters.get(id);
        if (letter.isEmpty()) {
            return Answer.error(404, "no dead letter " + id);
        }
        try {
            return confirmed(r) ? Answer.ok(redrives.redrive(letter.get(), by(r))) : Answer.ok(unconfirmed(redrives.estimate(letter.get())));
        } catch (Redrives.Refused e) {
            return Answer.error(e.status, e.getMessage());
        }
    }

    Answer redriveAll(Request r) throws IOException {
        List<DeadLetterViews.Letter> letters = deadLetters.list(DeadLetterViews.Filter.of(r.body()));
        boolean confirm = confirmed(r);
        ObjectNode n = Json.MAPPER.createObjectNode();
        ArrayNode done = n.putArray("dead_letters");
        ArrayNode refused = n.putArray("refused");
        BigDecimal total = BigDecimal.ZERO;
        int toPay = 0;
        for (DeadLetterViews.Letter l : letters) {
            try {
                ObjectNode e = confirm ? redrives.redrive(l, by(r)) : redrives.estimate(l);
                total = total.add(e.path("estimate_usd").decimalValue());
                toPay += e.path("to_pay").asInt();
                done.add(e);
            } catch (Redrives.Refused e) {
                ObjectNode x = refused.addObject();
                x.put("dead_letter_id", l.id());
                x.put("error", e.getMessage());
            }
        }
        n.put("matched", letters.size());
        n.put("to_pay", toPay);
        n.put("estimate_usd", total);
        return Answer.ok(confirm ? n : unconfirmed(n));
    }

    Answer providers(Request r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.set("providers", PlanViews.array(providers.all(operations.running())));
        return Answer.ok(n);
    }

    Answer pause(Request r) {
        String name = provider(r);
        if (name == null) {
            return Answer.error(404, "no provider " + r.path().get("name") + ": one of " + String.join(", ", Pauses.PROVIDERS));
        }
        Pauses.Pause p = operations.pauses().pause(name, by(r));
        LOG.warn("Provider {} paused by {} (since {}): no new call goes to it until it is resumed", name, p.by(), p.at());
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("provider", name);
        n.put("paused_by", p.by());
        n.put("paused_at", p.at().toString());
        return Answer.ok(n);
    }

    Answer resume(Request r) {
        String name = provider(r);
        if (name == null) {
            return Answer.error(404, "no provider " + r.path().get("name") + ": one of " + String.join(", ", Pauses.PROVIDERS));
        }
        boolean was = operations.pauses().resume(name);
        if (was) {
            LOG.info("Provider {} resumed by {}", name, by(r));
        }
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("provider", name);
        n.put("resumed", was);
        return Answer.ok(n);
    }

    private static String provider(Request r) {
        String name = Pauses.name(r.path().get("name"));
        return Pauses.PROVIDERS.contains(name) ? name : null;
    }

    private static boolean confirmed(Request r) {
        return r.body() != null && r.body().path("confirm").asBoolean(false);
    }

    private static ObjectNode unconfirmed(ObjectNode estimate) {
        estimate.put("confirm", "send {\"confirm\": true} to redrive: it pays only for the steps to pay above");
        return estimate;
    }

    /** Who acts: the body's {@code by} when it is a plain name, else the caller's address. */
    private static String by(Request r) {
        String given = r.body() == null ? null : r.body().path("by").asText(null);
        return given != null && OPERATOR.matcher(given.trim()).matches() ? given.trim() : "operator at " + r.remote();
    }

    private static int limit(Request r) {
        String limit = r.query().apply("limit");
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            return Math.max(1, Math.min(10_000, Integer.parseInt(limit)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit: a whole number");
        }
    }
}
