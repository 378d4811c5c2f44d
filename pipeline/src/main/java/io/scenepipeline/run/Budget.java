package io.scenepipeline.run;

import io.scenepipeline.support.SettingsException;

import java.util.Locale;

/**
 * {@code pipeline.max-cost-per-plan}: before every paid call its estimated price is added to what the plan has already
 * committed to; a call that would pass the budget is not made and the plan fails with a {@link ExceededException}
 * that names the budget, what was spent and what the call would have cost. Unset: no limit.
 */
public final class Budget {

    private final Double maxUsd;

    /** {@code pipeline.max-cost-per-plan} as set: an amount in USD, or empty for no limit. */
    public static Budget parse(String value) {
        String v = value == null ? "" : value.trim();
        try {
            return new Budget(v.isEmpty() ? null : Double.valueOf(v));
        } catch (NumberFormatException e) {
            throw new SettingsException("pipeline.max-cost-per-plan: must be an amount in USD, or empty for "
                    + "no limit, got '" + v + "'");
        }
    }

    /** The budget in USD, or null. */
    public Double maxUsd() {
        return maxUsd;
    }

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
