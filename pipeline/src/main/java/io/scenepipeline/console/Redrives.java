package io.scenepipeline.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scenepipeline.output.CostEstimate;
import io.scenepipeline.plan.PlanParser;
import io.scenepipeline.plan.PlanValidationException;
import io.scenepipeline.plan.ScenePlan;
import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Redrive of a dead letter (docs/console.md): first what it will cost (steps the journal holds are free), then, when
 * confirmed, its plan goes back into the inbox (written whole under a temporary name, then renamed) and its dead letter
 * is moved aside to {@code <dead-letter>/redriven/}; the run takes every step the journal holds and pays only for what
 * never finished. Nothing is lost on the way: the plan is in the inbox before its dead letter moves.
 */
final class Redrives {

    private static final Logger LOG = Logs.of(Redrives.class);
    static final String REDRIVEN = "redriven";

    /** Why a redrive cannot be done, with the HTTP status that says it. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final Path inbox;
    private final PlanParser parser;
    private final CostEstimate costs;
    private final long maxPlanBytes;

    Redrives(Path inbox, PlanParser parser, CostEstimate costs, long maxPlanBytes) {
        this.inbox = inbox;
        this.parser = parser;
        this.costs = costs;
        this.maxPlanBytes = maxPlanBytes;
    }

    /** What redriving {@code letter} would cost now, by the price table and the journal. */
    ObjectNode estimate(DeadLetterViews.Letter letter) throws IOException, Refused {
        return estimate(letter, plan(letter, bytes(letter)));
    }

    /** Redrives {@code letter}: its plan into the inbox, its dead letter aside; returns the estimate it was done with. */
    ObjectNode redrive(DeadLetterViews.Letter letter, String by) throws IOException, Refused {
        byte[] bytes = bytes(letter);
        ScenePlan plan = plan(letter, bytes);
        ObjectNode answer = estimate(letter, plan);
        String fileName = inboxName(letter);
        Path target = inbox.resolve(fileName);
        if (Files.exists(target)) {
            throw new Refused(409, "a plan named " + fileName + " already waits in the inbox");
        }
        AtomicFiles.write(target, bytes);
        Path aside = letter.plan().resolveSibling(REDRIVEN);
        Path kept = AtomicFiles.claimUnique(aside, letter.id(), ".json");
        String base = kept.getFileName().toString().replaceFirst("\\.json$", "");
        AtomicFiles.move(letter.plan(), kept);
        for (String ext : new String[] {".error.json", ".report.html"}) {
            Path f = letter.plan().resolveSibling(letter.id() + ext);
            if (Files.exists(f)) {
                AtomicFiles.move(f, aside.resolve(base + ext));
            }
        }
        LOG.info("plan={} Redriven by {}: back in the inbox as {}, its dead letter kept in {}/ ({} steps to pay, ~US${}; {} from "
                + "the journal)", plan.planId(), by, fileName, REDRIVEN, answer.path("to_pay").asInt(),
                answer.path("estimate_usd").asText(), answer.path("reused").asInt());
        answer.put("redriven", true);
        answer.put("inbox_file", fileName);
        return answer;
    }

    private byte[] bytes(DeadLetterViews.Letter letter) throws IOException, Refused {
        if (Files.size(letter.plan()) > maxPlanBytes) {
            throw new Refused(409, "the plan is larger than pipeline.max-plan-bytes");
        }
        return Files.readAllBytes(letter.plan());
    }

    private ScenePlan plan(DeadLetterViews.Letter letter, byte[] bytes) throws Refused {
        try {
            return parser.parse(bytes, inboxName(letter));
        } catch (PlanValidationException e) {
            throw new Refused(409, "the plan is not valid (" + String.join("; ", e.problems())
                    + "): fix it and drop it into the inbox again");
        }
    }

    /** The name it had in the inbox, when the report gives a plain one; else the dead letter's. */
    private static String inboxName(DeadLetterViews.Letter letter) {
        String file = letter.report().path("file").asText("");
        return file.endsWith(".json") && DeadLetterViews.SAFE_NAME.matcher(file).matches() ? file : letter.id() + ".json";
    }

    private ObjectNode estimate(DeadLetterViews.Letter letter, ScenePlan plan) {
        CostEstimate.Result e = costs.of(plan);
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("dead_letter_id", letter.id());
        n.put("plan_id", plan.planId());
        n.put("to_pay", e.toPay());
        n.put("reused", e.reused());
        n.put("estimate_usd", BigDecimal.valueOf(e.totalUsd()).setScale(4, RoundingMode.HALF_UP));
        ArrayNode lines = n.putArray("lines");
        for (CostEstimate.Line l : e.lines()) {
            ObjectNode line = lines.addObject();
            line.put("step", l.step());
            line.put("model", l.model());
            line.put("to_pay", l.calls());
            line.put("reused", l.reused());
            line.put("usd", BigDecimal.valueOf(l.usd()).setScale(4, RoundingMode.HALF_UP));
        }
        return n;
    }
}
