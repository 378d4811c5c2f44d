package io.scenepipeline.provider.replicate;

import io.scenepipeline.provider.AccountPace;
import io.scenepipeline.provider.RetryAfter;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Replicate 429 tells the account's pace (docs/providers.md, Replicate rate limits): the reset to wait for (the
 * {@code Retry-After} header, the body's {@code retry_after}, the "resets in ~Ns" of its detail), and the limit it
 * states when the account is low on credit ("reduced to 6 requests per minute with a burst of 1 requests").
 */
final class ReplicateThrottle {

    private static final Pattern STATED = Pattern.compile("(\\d+) requests? per minute(?: with a burst of (\\d+))?");

    private ReplicateThrottle() {
    }

    /** Tells {@code pace} of the answer when it is a 429; anything else is not the pace's business. */
    static void tell(AccountPace pace, HttpOperationFailedException failure) {
        if (failure.getStatusCode() != 429) {
            return;
        }
        long wait = RetryAfter.millis(failure, Instant.now()).orElse(0);
        String body = failure.getResponseBody();
        Matcher m = body == null ? null : STATED.matcher(body);
        if (m != null && m.find()) {
            pace.throttled(wait, Integer.valueOf(m.group(1)), m.group(2) == null ? null : Integer.valueOf(m.group(2)));
        } else {
            pace.throttled(wait, null, null);
        }
    }
}
