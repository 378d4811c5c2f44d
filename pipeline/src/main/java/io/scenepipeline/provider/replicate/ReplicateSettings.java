package io.scenepipeline.provider.replicate;

import io.scenepipeline.support.SettingsException;
import io.scenepipeline.support.SettingsReader;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code replicate.*} settings, read and checked once.
 *
 * @param baseUrl             {@code replicate.base-url}
 * @param token               {@code replicate.api-token}
 * @param connectTimeoutMs    {@code replicate.connect-timeout}: set on the connection pool
 * @param imageModel          {@code replicate.image-model}
 * @param videoModel          {@code replicate.video-model}
 * @param pollIntervalMs      {@code replicate.poll-interval} (the poll route's wait)
 * @param predictionTimeoutMs {@code replicate.prediction-timeout}
 * @param transientErrors     {@code replicate.transient-errors}
 * @param videoResolution     {@code replicate.video-resolution}
 * @param maxInlineImageBytes {@code replicate.max-inline-image-bytes}
 * @param downloadHosts       {@code replicate.download-hosts}
 * @param maxDownloadBytes    {@code replicate.max-download-bytes}: largest output file
 * @param maxDataUriBytes     {@code pipeline.max-data-uri-bytes}: largest {@code data:} URI decoded in memory
 * @param imageRetryComponent the retry component of text-to-image ({@code storyboard} or {@code video})
 * @param limits              the account's limits and how they are spent
 * @param webhooks            Replicate's webhooks (off unless {@code replicate.webhook-url} is set)
 * @param origin              where outputs come from, for their journal keys ({@link io.scenepipeline.provider.Origin})
 */
public record ReplicateSettings(URI baseUrl, String token, long connectTimeoutMs, ReplicateModel imageModel, ReplicateModel videoModel,
                                long pollIntervalMs, long predictionTimeoutMs, List<String> transientErrors, String videoResolution,
                                long maxInlineImageBytes, List<String> downloadHosts, long maxDownloadBytes, long maxDataUriBytes,
                                String imageRetryComponent, ReplicateLimits limits, ReplicateWebhookSettings webhooks,
                                String origin) {

    /** @param storyboardEnabled {@code pipeline.storyboard.enabled}: text-to-image is then retried as {@code storyboard} */
    public static ReplicateSettings from(SettingsReader r, boolean storyboardEnabled) {
        return new ReplicateSettings(r.url("replicate.base-url"), r.secret("replicate.api-token", "REPLICATE_API_TOKEN"),
                r.millis("replicate.connect-timeout", 1),
                model(r, "replicate.image-model", ReplicateModel.Kind.IMAGE),
                model(r, "replicate.video-model", ReplicateModel.Kind.VIDEO),
                r.millis("replicate.poll-interval", 1), r.millis("replicate.prediction-timeout", 1),
                list(r, "replicate.transient-errors", false),
                r.oneOf("replicate.video-resolution", List.of("480p", "720p", "1080p")),
                r.longValue("replicate.max-inline-image-bytes", 0),
                list(r, "replicate.download-hosts", true),
                r.longValue("replicate.max-download-bytes", 1), r.longValue("pipeline.max-data-uri-bytes", 1),
                storyboardEnabled ? "storyboard" : "video", ReplicateLimits.from(r), ReplicateWebhookSettings.from(r),
                io.scenepipeline.provider.Origin.of(r, r.url("replicate.base-url"), "api.replicate.com"));
    }

    private static List<String> list(SettingsReader r, String key, boolean lowerCase) {
        return Arrays.stream(r.required(key).split(",")).map(String::trim)
                .map(v -> lowerCase ? v.toLowerCase(Locale.ROOT) : v).filter(v -> !v.isEmpty()).toList();
    }

    private static ReplicateModel model(SettingsReader r, String key, ReplicateModel.Kind kind) {
        String v = r.required(key);
        return ReplicateModel.byName(v).filter(m -> m.kind() == kind).orElseThrow(() -> new SettingsException(
                key + ": unknown " + kind.name().toLowerCase(Locale.ROOT) + " model '" + v + "'; known: "
                        + String.join(", ", ReplicateModel.names(kind))));
    }
}
