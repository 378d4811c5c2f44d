package io.scenepipeline.state;

/**
 * What a finished step says of itself when it is journaled; the journal adds where its output is kept.
 *
 * @param key          the step key ({@link StepKeys})
 * @param step         step name
 * @param provider     provider
 * @param model        model, or null
 * @param predictionId Replicate prediction id, or null
 * @param requestId    ElevenLabs request id, or null
 * @param outputUrl    where the provider served the output (expires), or null
 * @param attempts     attempts it took
 * @param durationMs   how long it took
 * @param costUsd      what it cost by the price table, or null for a free step
 * @param runId        the plan run that paid for it, or null
 */
public record FinishedStep(String key, String step, String provider, String model, String predictionId, String requestId,
                           String outputUrl, int attempts, long durationMs, Double costUsd, String runId) {

    /** A free local step (face_rig, ffmpeg) with no provider ids. */
    public static FinishedStep local(String key, String step, String provider, int attempts, long durationMs) {
        return new FinishedStep(key, step, provider, null, null, null, null, attempts, durationMs, null, null);
    }
}
