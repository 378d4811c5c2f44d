package io.scenepipeline.provider.replicate;

import java.net.URI;
import java.util.List;

/**
 * What the Replicate steps need of the {@code replicate.*} settings (read and checked once, by the configuration).
 *
 * @param baseUrl             {@code replicate.base-url}
 * @param token               {@code replicate.api-token}
 * @param imageModel          {@code replicate.image-model}
 * @param videoModel          {@code replicate.video-model}
 * @param predictionTimeoutMs {@code replicate.prediction-timeout}
 * @param transientErrors     {@code replicate.transient-errors}
 * @param videoResolution     {@code replicate.video-resolution}
 * @param maxInlineImageBytes {@code replicate.max-inline-image-bytes}
 * @param downloadHosts       {@code replicate.download-hosts}
 * @param maxDownloadBytes    {@code replicate.max-download-bytes}
 * @param maxDataUriBytes     {@code pipeline.max-data-uri-bytes}
 * @param imageRetryComponent the retry component of text-to-image ({@code storyboard} or {@code video})
 */
public record ReplicateSettings(URI baseUrl, String token, ReplicateModel imageModel, ReplicateModel videoModel,
                                long predictionTimeoutMs, List<String> transientErrors, String videoResolution,
                                long maxInlineImageBytes, List<String> downloadHosts, long maxDownloadBytes, long maxDataUriBytes,
                                String imageRetryComponent) {
}
