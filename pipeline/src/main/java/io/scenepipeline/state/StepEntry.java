package io.scenepipeline.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * A finished step in the journal.
 *
 * @param key          the step key ({@link StepKeys})
 * @param step         step name
 * @param provider     provider
 * @param model        model, or null
 * @param artifact     file name of the output under {@code journal/artifacts/} ({@code <sha256><ext>})
 * @param sha256       content hash of the artifact
 * @param size         bytes of the artifact
 * @param predictionId Replicate prediction id, or null
 * @param requestId    ElevenLabs request id, or null
 * @param outputUrl    where the provider served the output (expires), or null
 * @param attempts     attempts it took
 * @param durationMs   how long it took
 * @param finishedAt   when it finished (ISO-8601)
 * @param costUsd      what the call cost, by the price table (null: a free step, or an entry older than this field)
 * @param runId        the plan run that paid for it (cluster mode: the delivery of the dropped file), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepEntry(
        @JsonProperty("key") String key,
        @JsonProperty("step") String step,
        @JsonProperty("provider") String provider,
        @JsonProperty("model") String model,
        @JsonProperty("artifact") String artifact,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("size") long size,
        @JsonProperty("prediction_id") String predictionId,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("output_url") String outputUrl,
        @JsonProperty("attempts") int attempts,
        @JsonProperty("duration_ms") long durationMs,
        @JsonProperty("finished_at") String finishedAt,
        @JsonProperty("cost_usd") Double costUsd,
        @JsonProperty("run_id") String runId) {

    /** A step finished now, with its output kept in the artifact store. */
    public static StepEntry of(FinishedStep done, ArtifactStore.Stored artifact) {
        return new StepEntry(done.key(), done.step(), done.provider(), done.model(), artifact.name(), artifact.sha256(),
                artifact.size(), done.predictionId(), done.requestId(), done.outputUrl(), done.attempts(), done.durationMs(),
                Instant.now().toString(), done.costUsd(), done.runId());
    }

    /** True when the plan run {@code runId} (non-null) paid for this step itself: on another node, or before a crash. */
    public boolean paidBy(String runId) {
        return runId != null && runId.equals(this.runId);
    }
}
