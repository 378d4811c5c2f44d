package io.scenepipeline.provider.elevenlabs;

/**
 * What the narration step needs of the {@code elevenlabs.*} settings (read and checked once, by the configuration).
 *
 * @param apiKey       {@code elevenlabs.api-key}
 * @param voiceId      {@code elevenlabs.voice-id}
 * @param model        {@code elevenlabs.model-id}
 * @param outputFormat {@code elevenlabs.output-format}
 */
public record ElevenLabsSettings(String apiKey, String voiceId, String model, String outputFormat) {
}
