package io.scenepipeline.config;

import io.scenepipeline.provider.elevenlabs.ElevenLabsSettings;
import io.scenepipeline.provider.replicate.ReplicateModel;
import io.scenepipeline.provider.replicate.ReplicateSettings;
import io.scenepipeline.retry.Backoff;
import io.scenepipeline.support.SettingsException;
import io.scenepipeline.support.SettingsReader;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every setting the pipeline's own code reads, validated once at startup. A bad value stops startup with a
 * {@link SettingsException} naming the key.
 */
public record PipelineSettings(
        Path inbox, Path outbox, Path deadLetter, Path work,
        int planConcurrency, int sceneConcurrency, int workerThreads, boolean storyboardEnabled, boolean faceRigEnabled, Duration journalRetention,
        Limits limits,
        Map<String, Backoff> retry, String retryableStatusCodes,
        URI replicateBaseUrl, String replicateToken, List<String> downloadHosts, ReplicateModel imageModel, ReplicateModel videoModel,
        long pollInterval, long predictionTimeout, List<String> transientErrors, String videoResolution,
        long maxInlineImageBytes,
        URI elevenlabsBaseUrl, String elevenlabsKey, String voiceId, String elevenlabsModel, String elevenlabsOutputFormat,
        List<URI> facerigBaseUrls, Duration facerigSetAside, Map<String, Integer> maxConcurrent, int maxCreatesPerMinute,
        int breakerFailures, Duration breakerWindow, Duration breakerHalfOpenAfter) {

    public static final List<String> RETRY_COMPONENTS = List.of("video", "facerig", "storyboard");

    /**
     * Bounds on what untrusted input can make the pipeline do.
     *
     * @param maxPlanBytes     {@code pipeline.max-plan-bytes}: larger plan files are refused before they are read
     * @param maxScenes        {@code pipeline.max-scenes}
     * @param maxTextChars     {@code pipeline.max-text-chars}: longest prompt or narration
     * @param maxDownloadBytes {@code replicate.max-download-bytes}: largest output file
     * @param maxDataUriBytes  {@code pipeline.max-data-uri-bytes}: largest {@code data:} URI decoded in memory
     */
    public record Limits(long maxPlanBytes, int maxScenes, int maxTextChars, long maxDownloadBytes, long maxDataUriBytes) {
    }

    /** The secrets, for redaction. */
    public List<String> secrets() {
        return List.of(replicateToken, elevenlabsKey);
    }

    /** The retry component of text-to-image: {@code storyboard} when the storyboard is enabled, else {@code video}. */
    public String imageRetryComponent() {
        return storyboardEnabled ? "storyboard" : "video";
    }

    /** @param lookup resolves a key to its (placeholder-resolved) value, or null */
    public static PipelineSettings from(Function<String, String> lookup) {
        SettingsReader r = new SettingsReader(lookup);
        Map<String, Backoff> retry = RETRY_COMPONENTS.stream().collect(Collectors.toMap(c -> c, c -> new Backoff(
                r.integer("retry." + c + ".maximumRedeliveries", 0, 100),
                r.longValue("retry." + c + ".redeliveryDelay", 0),
                r.decimal("retry." + c + ".backOffMultiplier", 1.0),
                r.longValue("retry." + c + ".maximumRedeliveryDelay", 0),
                r.optionalDecimal("retry." + c + ".collisionAvoidanceFactor", 0.0, 0.0, 1.0))));
        String statusCodes = r.required("retry.retryable-status-codes");
        for (String code : statusCodes.split(",")) {
            if (!code.trim().matches("[1-5][0-9][0-9]")) {
                throw new SettingsException("retry.retryable-status-codes: must be a comma-separated list of HTTP statuses, got '" + statusCodes + "'");
            }
        }
        return new PipelineSettings(
                r.path("pipeline.inbox"), r.path("pipeline.outbox"), r.path("pipeline.dead-letter"), r.path("pipeline.work"),
                r.integer("pipeline.plan-concurrency", 1, 100), r.integer("pipeline.scene-concurrency", 1, 1000),
                r.integer("pipeline.worker-threads", 1, 1000),
                r.bool("pipeline.storyboard.enabled"), r.bool("pipeline.face-rig.enabled"),
                r.duration("pipeline.journal-retention"),
                new Limits(r.longValue("pipeline.max-plan-bytes", 2), r.integer("pipeline.max-scenes", 1, 100_000),
                        r.integer("pipeline.max-text-chars", 1, 1_000_000), r.longValue("replicate.max-download-bytes", 1),
                        r.longValue("pipeline.max-data-uri-bytes", 1)),
                retry, statusCodes,
                r.url("replicate.base-url"), r.secret("replicate.api-token", "REPLICATE_API_TOKEN"),
                Arrays.stream(r.required("replicate.download-hosts").split(",")).map(String::trim)
                        .map(h -> h.toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList(),
                model(r, "replicate.image-model", ReplicateModel.Kind.IMAGE),
                model(r, "replicate.video-model", ReplicateModel.Kind.VIDEO),
                r.longValue("replicate.poll-interval", 1), r.longValue("replicate.prediction-timeout", 1),
                Arrays.stream(r.required("replicate.transient-errors").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                r.oneOf("replicate.video-resolution", List.of("480p", "720p", "1080p")),
                r.longValue("replicate.max-inline-image-bytes", 0),
                r.url("elevenlabs.base-url"), r.secret("elevenlabs.api-key", "ELEVENLABS_API_KEY"),
                r.matching("elevenlabs.voice-id", "[A-Za-z0-9]{1,64}", "an ElevenLabs voice id"),
                r.required("elevenlabs.model-id"),
                r.matching("elevenlabs.output-format", "(wav|pcm)_(8000|16000|22050|24000|32000|44100|48000)", "wav_<rate> or pcm_<rate>"),
                r.urls("facerig.base-url"), r.duration("facerig.set-aside"),
                Map.of("replicate", r.integer("replicate.max-concurrent", 1, 1000),
                        "elevenlabs", r.integer("elevenlabs.max-concurrent", 1, 100),
                        "facerig", r.integer("facerig.max-concurrent", 1, 100)),
                r.integer("replicate.max-creates-per-minute", 1, 100_000),
                r.integer("pipeline.breaker.failures", 0, 10_000), r.duration("pipeline.breaker.window"),
                r.duration("pipeline.breaker.half-open-after"));
    }

    private static ReplicateModel model(SettingsReader r, String key, ReplicateModel.Kind kind) {
        String v = r.required(key);
        return ReplicateModel.byName(v).filter(m -> m.kind() == kind).orElseThrow(() -> new SettingsException(
                key + ": unknown " + kind.name().toLowerCase(Locale.ROOT) + " model '" + v + "'; known: "
                        + String.join(", ", ReplicateModel.names(kind))));
    }

    /** The Replicate steps' share of the settings. */
    public ReplicateSettings replicate() {
        return new ReplicateSettings(replicateBaseUrl, replicateToken, imageModel, videoModel, predictionTimeout, transientErrors,
                videoResolution, maxInlineImageBytes, downloadHosts, limits.maxDownloadBytes(), limits.maxDataUriBytes(),
                imageRetryComponent());
    }

    /** The narration step's share of the settings. */
    public ElevenLabsSettings elevenlabs() {
        return new ElevenLabsSettings(elevenlabsKey, voiceId, elevenlabsModel, elevenlabsOutputFormat);
    }
}
