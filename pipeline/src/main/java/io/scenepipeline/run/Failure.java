package io.scenepipeline.run;

/**
 * Why a plan stopped: the facts of the dead-letter report (docs/outputs.md).
 *
 * @param stage       {@code validation} or a step name
 * @param sceneNumber the scene, or null
 * @param provider    replicate, elevenlabs, face_rig, or null
 * @param retryable   whether the last error was of a retryable kind
 * @param attempts    attempts made of the failing call
 * @param httpStatus  the last HTTP status, or null
 * @param error       one human-readable sentence with the provider's own message
 */
public record Failure(String stage, Integer sceneNumber, String provider, boolean retryable, int attempts,
                      Integer httpStatus, String error) {
}
