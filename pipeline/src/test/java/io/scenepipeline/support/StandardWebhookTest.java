package io.scenepipeline.support;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** A webhook is believed only with a signature made with the account's secret, over its own id, time and body, sent lately. */
class StandardWebhookTest {

    // the example of the Standard Webhooks specification (standardwebhooks.com)
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final String TIMESTAMP = "1614265330";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private final StandardWebhook webhook = new StandardWebhook(SECRET, 300);
    private final long now = Long.parseLong(TIMESTAMP) + 10;

    @Test
    void should_accept_the_specifications_example() {
        assertThat(webhook.verify(ID, TIMESTAMP, SIGNATURE, BODY, now)).isEqualTo(StandardWebhook.Verdict.GENUINE);
        assertThat(webhook.verify(ID, TIMESTAMP, "v1,bm9wZQ== " + SIGNATURE, BODY, now)).as("one of several").isEqualTo(StandardWebhook.Verdict.GENUINE);
    }

    @Test
    void should_refuse_a_changed_body_id_or_time_and_a_signature_made_with_another_secret() {
        assertThat(webhook.verify(ID, TIMESTAMP, SIGNATURE, "{\"test\": 1}".getBytes(StandardCharsets.UTF_8), now)).isEqualTo(StandardWebhook.Verdict.FORGED);
        assertThat(webhook.verify("msg_other", TIMESTAMP, SIGNATURE, BODY, now)).isEqualTo(StandardWebhook.Verdict.FORGED);
        assertThat(webhook.verify(ID, "1614265331", SIGNATURE, BODY, now)).isEqualTo(StandardWebhook.Verdict.FORGED);
        String other = "v1," + Base64.getEncoder().encodeToString(new StandardWebhook("whsec_" + Base64.getEncoder()
                .encodeToString("another secret".getBytes(StandardCharsets.UTF_8)), 300).sign(ID, TIMESTAMP, BODY));
        assertThat(webhook.verify(ID, TIMESTAMP, other, BODY, now)).isEqualTo(StandardWebhook.Verdict.FORGED);
        assertThat(webhook.verify(ID, TIMESTAMP, "v2," + SIGNATURE.substring(3), BODY, now)).isEqualTo(StandardWebhook.Verdict.FORGED);
    }

    @Test
    void should_refuse_a_stale_or_unsigned_webhook() {
        assertThat(webhook.verify(ID, TIMESTAMP, SIGNATURE, BODY, now + 3600)).isEqualTo(StandardWebhook.Verdict.STALE);
        assertThat(webhook.verify(ID, TIMESTAMP, SIGNATURE, BODY, now - 3600)).isEqualTo(StandardWebhook.Verdict.STALE);
        assertThat(webhook.verify(ID, "yesterday", SIGNATURE, BODY, now)).isEqualTo(StandardWebhook.Verdict.STALE);
        assertThat(webhook.verify(null, TIMESTAMP, SIGNATURE, BODY, now)).isEqualTo(StandardWebhook.Verdict.MISSING_HEADERS);
        assertThat(webhook.verify(ID, TIMESTAMP, "", BODY, now)).isEqualTo(StandardWebhook.Verdict.MISSING_HEADERS);
    }
}
