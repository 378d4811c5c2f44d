package io.scenepipeline.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.scenepipeline.state.FinishedStep;
import io.scenepipeline.state.StepEntry;

/** One provider step of one scene, as it appears in the manifest. Updated by the routes while it runs. */
@JsonPropertyOrder({"step", "provider", "model", "prediction_id", "request_id", "attempts", "duration_ms", "reused", "cost_usd", "canceled_prediction", "timeline"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class StepRecord {

    private final String step;
    private final String provider;
    private final String model;
    private final long startedNanos = System.nanoTime();
    private volatile String outputSha256;
    private final String key;
    private volatile boolean reused;
    private volatile String predictionId;
    private volatile String requestId;
    private volatile int attempts = 1;
    private volatile Long durationMs;
    private volatile String canceledPrediction;
    private volatile Double costUsd;
    private volatile boolean costCommitted;
    private final StepTimeline timeline = new StepTimeline();
    private volatile boolean outputPaid;

    public StepRecord(String step, String provider, String model, String key) {
        this.step = step;
        this.provider = provider;
        this.model = model;
        this.key = key;
    }

    /** The step's journal key (see {@code StepKeys}). */
    @JsonIgnore
    public String key() {
        return key;
    }

    @JsonProperty("step")
    public String step() {
        return step;
    }

    @JsonProperty("provider")
    public String provider() {
        return provider;
    }

    @JsonProperty("model")
    public String model() {
        return model;
    }

    @JsonProperty("prediction_id")
    public String predictionId() {
        return predictionId;
    }

    public void predictionId(String id) {
        this.predictionId = id;
    }

    @JsonProperty("request_id")
    public String requestId() {
        return requestId;
    }

    public void requestId(String id) {
        this.requestId = id;
    }

    @JsonProperty("attempts")
    public int attempts() {
        return attempts;
    }

    /** Called when a failed attempt is about to be repeated. */
    public synchronized void nextAttempt() {
        attempts++;
    }

    /** The provider made the step's output and bills it: what is left of the step (its download) is not canceled. */
    public void outputPaid() {
        outputPaid = true;
    }

    @JsonIgnore
    public boolean isOutputPaid() {
        return outputPaid;
    }

    /** Every attempt and wait of this step so far (the console's and the reports' timeline). */
    @JsonIgnore
    public StepTimeline timeline() {
        return timeline;
    }

    @JsonProperty("timeline")
    public java.util.List<StepTimeline.Span> timelineSpans() {
        return timeline.spans();
    }

    @JsonProperty("duration_ms")
    public Long durationMs() {
        return durationMs;
    }

    /** True when the output was taken from an earlier run instead of calling the provider again. */
    /** What this step cost in USD (0 when taken from the journal); null for a free step (face_rig, ffmpeg). */
    @JsonProperty("cost_usd")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Double costUsd() {
        return costUsd;
    }

    public void costUsd(double usd) {
        this.costUsd = usd;
    }

    /** The call this step was counted for is not billed after all (its prediction failed or was canceled). */
    public void uncharged() {
        this.costUsd = null;
    }

    /** Whether the budget has counted this step's call already (its retries are not counted again). */
    @JsonIgnore
    public boolean costCommitted() {
        return costCommitted;
    }

    public void costCommitted(boolean committed) {
        this.costCommitted = committed;
    }

    /** The prediction this step gave up on and canceled, or null. */
    @JsonProperty("canceled_prediction")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String canceledPrediction() {
        return canceledPrediction;
    }

    public void canceledPrediction(String id) {
        this.canceledPrediction = id;
    }

    @JsonProperty("reused")
    public boolean reused() {
        return reused;
    }

    public void markReused(String predictionId, String requestId) {
        this.reused = true;
        this.attempts = 0;
        timeline.reused();
        this.predictionId = predictionId;
        this.requestId = requestId;
    }

    /** SHA-256 of the step's output file as the journal holds it (null until recorded or reused). */
    @JsonIgnore
    public String outputSha256() {
        return outputSha256;
    }

    public void outputSha256(String sha256) {
        this.outputSha256 = sha256;
    }

    @JsonIgnore
    public boolean finished() {
        return durationMs != null;
    }

    public void finish() {
        durationMs = (System.nanoTime() - startedNanos) / 1_000_000;
        timeline.attemptEnded("succeeded", null);
    }

    /** What the journal keeps of this finished step, paid for by the plan run {@code runId} (or null). */
    public FinishedStep journaled(String runId, String outputUrl) {
        return new FinishedStep(key, step, provider, model, predictionId, requestId, outputUrl, attempts,
                durationMs == null ? 0 : durationMs, costUsd, runId);
    }

    /**
     * The journal holds this step as paid for by this very plan run (on a node that died or stopped, or before this
     * process crashed): it is this run's step, with what it cost, not one reused from an earlier run.
     */
    public void paidEarlier(StepEntry entry) {
        this.attempts = entry.attempts();
        this.predictionId = entry.predictionId();
        this.requestId = entry.requestId();
        this.durationMs = entry.durationMs();
        if (entry.costUsd() != null) {
            this.costUsd = entry.costUsd();
        }
        this.outputSha256 = entry.sha256();
        timeline.reused();
    }

    /** Another node took this step over and finished it: this run neither finished it nor counts what it cost. */
    public void handedOn() {
        timeline.attemptEnded("handed_on", "another node took this step over");
        durationMs = null;
        costUsd = null;
    }
}
