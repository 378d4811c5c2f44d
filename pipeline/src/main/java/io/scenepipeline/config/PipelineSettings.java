package io.scenepipeline.config;

import io.scenepipeline.provider.elevenlabs.ElevenLabsSettings;
import io.scenepipeline.provider.facerig.FaceRigSettings;
import io.scenepipeline.provider.replicate.ReplicateSettings;
import io.scenepipeline.retry.BreakerSettings;
import io.scenepipeline.retry.RetrySettings;
import io.scenepipeline.support.SettingsException;
import io.scenepipeline.support.SettingsReader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Every setting the pipeline's own code reads, validated once at startup, one record per concern, each read by its
 * own {@code from}. A bad value stops startup with a {@link SettingsException} naming the key.
 */
public record PipelineSettings(Folders folders, Steps steps, Concurrency concurrency, Limits limits, RetrySettings retry,
                               BreakerSettings breaker, ReplicateSettings replicate, ElevenLabsSettings elevenlabs,
                               FaceRigSettings facerig) {

    /** {@code pipeline.inbox}, {@code .outbox}, {@code .dead-letter}, {@code .work}. */
    public record Folders(Path inbox, Path outbox, Path deadLetter, Path work) {
        static Folders from(SettingsReader r) {
            return new Folders(r.path("pipeline.inbox"), r.path("pipeline.outbox"), r.path("pipeline.dead-letter"), r.path("pipeline.work"));
        }
    }

    /**
     * Which steps run, and how long the journal keeps them.
     *
     * @param storyboardEnabled {@code pipeline.storyboard.enabled}
     * @param faceRigEnabled    {@code pipeline.face-rig.enabled}
     * @param journalRetention  {@code pipeline.journal-retention}
     */
    public record Steps(boolean storyboardEnabled, boolean faceRigEnabled, Duration journalRetention) {
        static Steps from(SettingsReader r) {
            return new Steps(r.bool("pipeline.storyboard.enabled"), r.bool("pipeline.face-rig.enabled"), r.duration("pipeline.journal-retention"));
        }
    }

    /**
     * How much runs at once.
     *
     * @param plans                {@code pipeline.plan-concurrency}
     * @param scenes               {@code pipeline.scene-concurrency}
     * @param workerThreads        {@code pipeline.worker-threads}
     * @param replicate            {@code replicate.max-concurrent}: calls in flight to Replicate
     * @param elevenlabs           {@code elevenlabs.max-concurrent}: the account's concurrent requests
     */
    public record Concurrency(int plans, int scenes, int workerThreads, int replicate, int elevenlabs) {
        static Concurrency from(SettingsReader r) {
            return new Concurrency(r.integer("pipeline.plan-concurrency", 1, 100), r.integer("pipeline.scene-concurrency", 1, 1000),
                    r.integer("pipeline.worker-threads", 1, 1000), r.integer("replicate.max-concurrent", 1, 1000),
                    r.integer("elevenlabs.max-concurrent", 1, 100));
        }
    }

    /**
     * Bounds on what an untrusted plan can make the pipeline do (a provider's answers are bounded by its own settings).
     *
     * @param maxPlanBytes {@code pipeline.max-plan-bytes}: larger plan files are refused before they are read
     * @param maxScenes    {@code pipeline.max-scenes}
     * @param maxTextChars {@code pipeline.max-text-chars}: longest prompt or narration
     * @param diskReserveBytes {@code pipeline.disk-reserve}: the free space the folders written to keep
     */
    public record Limits(long maxPlanBytes, int maxScenes, int maxTextChars, long diskReserveBytes) {
        static Limits from(SettingsReader r) {
            return new Limits(r.longValue("pipeline.max-plan-bytes", 2), r.integer("pipeline.max-scenes", 1, 100_000),
                    r.integer("pipeline.max-text-chars", 1, 1_000_000), r.size("pipeline.disk-reserve"));
        }
    }

    /** @param lookup resolves a key to its (placeholder-resolved) value, or null */
    public static PipelineSettings from(Function<String, String> lookup) {
        SettingsReader r = new SettingsReader(lookup);
        Steps steps = Steps.from(r);
        return new PipelineSettings(Folders.from(r), steps, Concurrency.from(r), Limits.from(r), RetrySettings.from(r),
                BreakerSettings.from(r), ReplicateSettings.from(r, steps.storyboardEnabled()), ElevenLabsSettings.from(r),
                FaceRigSettings.from(r));
    }

    /** The secrets, for redaction. */
    public List<String> secrets() {
        String webhookSecret = replicate.webhooks().secret();
        return webhookSecret == null ? List.of(replicate.token(), elevenlabs.apiKey())
                : List.of(replicate.token(), elevenlabs.apiKey(), webhookSecret);
    }
}
