package io.scenepipeline.run;

/** The operator canceled the plan (the console's or the API's cancel): not retried, the plan goes to the dead letters. */
public final class PlanCanceledException extends RuntimeException {

    public PlanCanceledException(String planId, String by) {
        super("canceled by the operator" + (by == null || by.isBlank() ? "" : " (" + by + ")") + ": plan " + planId
                + " was stopped; its finished steps stay in the journal");
    }
}
