package io.scenepipeline.provider.replicate;

import io.scenepipeline.support.SettingsReader;

import java.net.URI;
import java.time.Duration;

/**
 * Replicate's webhooks (docs/providers.md): off unless {@code replicate.webhook-url} is set.
 *
 * @param url       {@code replicate.webhook-url}: where Replicate reaches this pipeline's management server
 *                  ({@code .../webhooks/replicate}); null: polling only
 * @param secret    {@code replicate.webhook-secret}: the account's signing secret ({@code whsec_...}); null: asked of
 *                  Replicate at start
 * @param sweep     {@code replicate.webhook-sweep}: with webhooks on, a prediction is still polled this often, for a
 *                  webhook that never comes
 * @param tolerance {@code replicate.webhook-tolerance}: how far a webhook's timestamp may be from now
 */
public record ReplicateWebhookSettings(URI url, String secret, Duration sweep, Duration tolerance) {

    public static ReplicateWebhookSettings from(SettingsReader r) {
        String url = r.lookup().apply("replicate.webhook-url");
        String secret = r.lookup().apply("replicate.webhook-secret");
        return new ReplicateWebhookSettings(url == null || url.isBlank() ? null : r.url("replicate.webhook-url"),
                secret == null || secret.isBlank() ? null : secret.trim(), r.duration("replicate.webhook-sweep"),
                r.duration("replicate.webhook-tolerance"));
    }
}
