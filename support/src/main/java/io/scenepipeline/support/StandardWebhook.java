package io.scenepipeline.support;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The Standard Webhooks signature (standardwebhooks.com; Replicate signs its webhooks so, docs/providers.md): HMAC-SHA256
 * over {@code "<webhook-id>.<webhook-timestamp>.<body>"}, keyed with the base64 part of the account's signing secret
 * ({@code whsec_...}), sent base64-encoded as one or more space-separated {@code v1,<signature>} in
 * {@code webhook-signature}. A timestamp further than {@code tolerance} from now is refused, so a captured webhook
 * cannot be sent again later.
 */
public final class StandardWebhook {

    /** Whether a webhook is genuine, or why not. */
    public enum Verdict { GENUINE, MISSING_HEADERS, STALE, FORGED }

    private final byte[] key;
    private final long toleranceSeconds;

    /** @param secret the signing secret, {@code whsec_<base64>} (or the base64 alone) */
    public StandardWebhook(String secret, long toleranceSeconds) {
        String b64 = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        this.key = Base64.getDecoder().decode(b64.trim());
        this.toleranceSeconds = toleranceSeconds;
    }

    public Verdict verify(String id, String timestamp, String signatures, byte[] body, long nowSeconds) {
        if (id == null || timestamp == null || signatures == null || id.isBlank() || signatures.isBlank()) {
            return Verdict.MISSING_HEADERS;
        }
        long at;
        try {
            at = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Verdict.STALE;
        }
        if (Math.abs(nowSeconds - at) > toleranceSeconds) {
            return Verdict.STALE;
        }
        byte[] expected = sign(id, timestamp.trim(), body);
        for (String candidate : signatures.trim().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !"v1".equals(candidate.substring(0, comma))) {
                continue;
            }
            try {
                if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(comma + 1)))) {
                    return Verdict.GENUINE;
                }
            } catch (IllegalArgumentException notBase64) {
                // another candidate may match
            }
        }
        return Verdict.FORGED;
    }

    /** The signature of a webhook (the simulator signs its own with it too). */
    public byte[] sign(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
