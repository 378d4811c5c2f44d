package io.scenepipeline.provider.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.run.Steps;
import org.apache.camel.Exchange;

import java.util.Map;
import java.util.Set;

/**
 * One Replicate step's prediction as it goes, in one typed object (kept by the chain's {@link io.scenepipeline.run.StepCall}):
 * what is asked (model, input, the step's file), which prediction stands for it and where it is (created, adopted or
 * resumed; polled or delivered by webhook; given up on), and what came out. Each part of the protocol
 * ({@link ReplicateSteps}: create; {@link PredictionAdoption}; {@link PredictionPolls}; {@link PredictionWaits};
 * {@link PredictionCancel}; {@link PredictionOutputs}) reads and moves it on; retries of a part find it as the last
 * attempt left it, so a failed poll polls again and never creates a second prediction.
 */
final class PredictionCall {

    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "aborted");

    final ReplicateModel model;
    final Map<String, Object> input;
    /** The step's file, relative to the plan's folder ({@code images/scene_1.png}). */
    final String target;

    /** The prediction that stands for the step, once created, adopted or resumed; null: none (yet, or any more). */
    String id;
    /** The prediction was journaled by an earlier run (Replicate may no longer know it). */
    boolean resumed;
    /** Another plan run created the prediction and counts what it costs (this run resumed it for free). */
    boolean paidByAnotherRun;
    /** What the prediction will likely cost, by the price table: counted from its create until its real price is known. */
    double estimateUsd;
    /** Epoch ms past which it is given up on ({@code replicate.prediction-timeout}). */
    long deadline;
    /** Epoch ms of a create that got no usable answer: before creating again, look for what it made. */
    Long unansweredSince;
    /** The next page of the prediction list to look through for it. */
    String listNext;
    /** Its last known state: status, and the prediction as Replicate last described it. */
    String status;
    JsonNode prediction;
    /** It ran past its deadline: polling stops and it is canceled. */
    boolean timedOut;
    /** Its output (a URL, or a {@code data:} URI), once it succeeded. */
    String output;
    /** The prediction a webhook brought while the step waited, read instead of a poll's answer. */
    JsonNode delivered;

    PredictionCall(ReplicateModel model, Map<String, Object> input, String target) {
        this.model = model;
        this.input = input;
        this.target = target;
    }

    static PredictionCall of(Exchange exchange) {
        return Steps.call(exchange).part(PredictionCall.class);
    }

    void on(Exchange exchange) {
        Steps.call(exchange).keep(this);
    }

    /** None yet, or the last one failed: the next attempt creates one. */
    boolean needsCreate() {
        return id == null;
    }

    /** A create went out without a usable answer: it may have made a prediction. */
    boolean mayHaveCreated() {
        return id == null && unansweredSince != null;
    }

    /** Still running, and not given up on: poll (or wait for its webhook) again. */
    boolean running() {
        return !TERMINAL.contains(status == null ? "" : status) && !timedOut;
    }

    boolean terminal() {
        return status != null && TERMINAL.contains(status);
    }

    /** A prediction now stands for the step. */
    void started(String predictionId, long deadlineMs) {
        id = predictionId;
        deadline = deadlineMs;
        unansweredSince = null;
    }

    /** The prediction is done with (it failed, or Replicate forgot it): the next attempt creates a new one. */
    void forget() {
        id = null;
        resumed = false;
        status = null;
        timedOut = false;
    }
}
