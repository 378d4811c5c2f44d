package io.scenepipeline.run;

import java.util.Locale;

/**
 * {@code pipeline.max-cost-per-plan}: before every paid call its estimated price is added to what the plan has already
 * committed to; a call that would pass the budget is not made and the plan fails with a {@link ExceededException}
 * that names the budget, what was spent and what the call would have cost. Unset: no limit.
 */
public final class Budget {

    private final Double maxUsd;

    /** @param maxUsd the budget per plan in USD, or null for none */
    public Budget(Double maxUsd) {
        this.maxUsd = maxUsd;
    }

    /** A paid call the budget does not allow: permanent (the plan's outputs so far stay in the journal). */
    public static final class ExceededException extends RuntimeException {
        public ExceededException(String message) {
            super(message);
        }
    }

    /**
     * Commits the plan to {@code estimateUsd} for the current step's call, once per step, or refuses it.
     *
     * @throws ExceededException when the plan's committed cost plus this estimate would pass the budget
     */
    public void allow(PlanRun run, StepRecord step, double estimateUsd) {
        if (maxUsd == null || step.costCommitted()) {
            return;
        }
        if (!run.commit(estimateUsd, maxUsd)) {
            throw new ExceededException(String.format(Locale.ROOT, "Budget reached: the next call (%s%s) would cost about $%.4f, "
                    + "and with $%.4f spent the plan would pass its budget of $%.4f (pipeline.max-cost-per-plan); raise the budget "
                    + "and drop the plan again: what it paid for is reused", step.step(), step.model() == null ? "" : ", " + step.model(),
                    estimateUsd, run.costUsd(), maxUsd));
        }
        step.costCommitted(true);
    }
}
