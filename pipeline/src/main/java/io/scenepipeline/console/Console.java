package io.scenepipeline.console;

import io.scenepipeline.output.CostEstimate;
import io.scenepipeline.plan.PlanParser;

import java.nio.file.Path;

/** Builds the operator console from what the pipeline has (docs/console.md). */
public final class Console {

    private Console() {
    }

    /** The folders the console reads and the redrive writes. */
    public record Folders(Path inbox, Path outbox, Path deadLetter) {
    }

    /**
     * @param token     {@code management.token} (null: loopback only, actions need the console's header)
     * @param parser    the plan validation a run applies (a redriven plan must pass it)
     * @param costs     the estimate of what a plan costs, the journal's steps free
     */
    public static ConsoleServer server(String token, Folders folders, Operations operations, PlanParser parser, CostEstimate costs,
                                       long maxPlanBytes, ProviderViews.Sources providers) {
        DeadLetterViews letters = new DeadLetterViews(folders.deadLetter());
        PlanViews plans = new PlanViews(folders.inbox(), folders.outbox(), letters, operations::running, operations::live);
        Redrives redrives = new Redrives(folders.inbox(), parser, costs, maxPlanBytes);
        return new ConsoleServer(token, new ConsoleApi(operations, plans, letters, redrives, new ProviderViews(providers)));
    }
}
