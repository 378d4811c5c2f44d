package io.scenepipeline.provider.elevenlabs;

import io.scenepipeline.support.SettingsReader;

import java.net.URI;

/**
 * The {@code elevenlabs.*} settings, read and checked once.
 *
 * @param baseUrl      {@code elevenlabs.base-url}
 * @param apiKey       {@code elevenlabs.api-key}
 * @param connectTimeoutMs {@code elevenlabs.connect-timeout}: set on the connection pool
 * @param voiceId      {@code elevenlabs.voice-id}
 * @param model        {@code elevenlabs.model-id}
 * @param outputFormat {@code elevenlabs.output-format}
 */
public record ElevenLabsSettings(URI baseUrl, String apiKey, long connectTimeoutMs, String voiceId, String model, String outputFormat,
                                 String origin) {

    public static ElevenLabsSettings from(SettingsReader r) {
        return new ElevenLabsSettings(r.url("elevenlabs.base-url"), r.secret("elevenlabs.api-key", "ELEVENLABS_API_KEY"),
                r.millis("elevenlabs.connect-timeout", 1),
                r.matching("elevenlabs.voice-id", "[A-Za-z0-9]{1,64}", "an ElevenLabs voice id"),
                r.required("elevenlabs.model-id"),
                r.matching("elevenlabs.output-format", "(wav|pcm)_(8000|16000|22050|24000|32000|44100|48000)", "wav_<rate> or pcm_<rate>"),
                io.scenepipeline.provider.Origin.of(r, r.url("elevenlabs.base-url"), "api.elevenlabs.io"));
    }
}
