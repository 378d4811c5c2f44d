package io.scenepipeline.lifecycle;

import io.scenepipeline.support.SettingsReader;

import java.time.Duration;
import java.util.function.Function;

/**
 * The {@code pipeline.inbox.*} and {@code pipeline.dead-letter.*} keys: when a file is taken from the inbox, and how
 * often a dead letter that could not be written is tried again.
 *
 * @param minAgeMs        {@code pipeline.inbox.min-age}: unchanged this long before it is taken
 * @param checkIntervalMs {@code pipeline.inbox.check-interval}: how often a new file is looked at while it changes
 * @param settleMs        {@code pipeline.inbox.settle-time}: a file that is not whole JSON waits until unchanged this long
 * @param deadLetterRetry {@code pipeline.dead-letter.retry-interval}
 */
public record InboxSettings(long minAgeMs, long checkIntervalMs, long settleMs, Duration deadLetterRetry) {

    public static InboxSettings from(Function<String, String> lookup) {
        SettingsReader r = new SettingsReader(lookup);
        return new InboxSettings(r.millis("pipeline.inbox.min-age", 0), r.millis("pipeline.inbox.check-interval", 1),
                r.millis("pipeline.inbox.settle-time", 0), r.duration("pipeline.dead-letter.retry-interval"));
    }
}
