package io.scenepipeline.plan;

import java.util.List;

/** A plan that cannot run as written. Never retried: the plan goes to the dead-letter folder at once. */
public class PlanValidationException extends RuntimeException {

    private final List<String> problems;

    public PlanValidationException(List<String> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem as {@code field.path: reason}. */
    public List<String> problems() {
        return problems;
    }

    private static String summary(List<String> problems) {
        String noun = problems.size() == 1 ? "problem" : "problems";
        return "Invalid plan (" + problems.size() + " " + noun + "): " + String.join("; ", problems);
    }
}
