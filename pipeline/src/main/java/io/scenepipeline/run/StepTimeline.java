package io.scenepipeline.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.List;

/**
 * Every attempt of one step and every wait between them, as they happen: what the console's timeline and the reports'
 * timeline picture draw. An attempt ends {@code succeeded}, {@code retried} (failed, tried again), {@code throttled}
 * (a "slow down", tried again without spending an attempt), {@code failed}, {@code canceled} or {@code handed_on};
 * a step taken from the journal is one {@code reused} mark. A wait says what it waits for ({@code retry},
 * {@code throttled}, {@code paused}, {@code account pace}, {@code provider slot}, {@code face_rig server},
 * {@code disk room}) and until when, when that is known.
 */
public final class StepTimeline {

    /** One bar: an attempt or a wait. Times are epoch milliseconds; {@code end} is null while it lasts. */
    @JsonPropertyOrder({"kind", "attempt", "start", "end", "until", "outcome", "reason"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Span(@JsonProperty("kind") String kind, @JsonProperty("attempt") Integer attempt,
                       @JsonProperty("start") long start, @JsonProperty("end") Long end, @JsonProperty("until") Long until,
                       @JsonProperty("outcome") String outcome, @JsonProperty("reason") String reason) {

        public static final String ATTEMPT = "attempt";
        public static final String WAIT = "wait";

        Span ended(long at, String how, String why) {
            return new Span(kind, attempt, start, Math.max(start, at), until, how, why);
        }

        /** Still going. */
        public boolean open() {
            return end == null;
        }
    }

    private static final int MAX_SPANS = 200;

    private final long created = now();
    private final List<Span> spans = new ArrayList<>();
    private Span attempt;
    private Span wait;
    private int dropped;

    /** An attempt of the step begins (ends a wait before it). */
    public synchronized void attemptStarted(int number) {
        closeWait(now());
        if (attempt != null) {
            return; // a second retry unit of the same attempt (a prediction's download after its polls)
        }
        attempt = new Span(Span.ATTEMPT, number, now(), null, null, null, null);
    }

    /** The attempt in progress ended {@code outcome} (with {@code reason} when it failed). */
    public synchronized void attemptEnded(String outcome, String reason) {
        long at = now();
        if (attempt == null && spans.isEmpty() && wait == null) {
            // a step whose call went by no retry unit: one attempt, from when the step began
            attempt = new Span(Span.ATTEMPT, 1, created, null, null, null, null);
        }
        if (attempt == null) {
            return; // no call was made (a paused provider's step asked again): the wait goes on
        }
        closeWait(at);
        add(attempt.ended(at, outcome, reason));
        attempt = null;
    }

    /** The step was taken from the journal: one mark, nothing called. */
    public synchronized void reused() {
        long at = now();
        attempt = null;
        add(new Span(Span.ATTEMPT, 0, at, at, null, "reused", null));
    }

    /** The step waits for {@code what}, until {@code untilMs} when known (else null). */
    public synchronized void waitStarted(String what, Long untilMs) {
        long at = now();
        if (wait != null && wait.outcome().equals(what)) {
            // the same wait, asked again (a paused provider looked at once a second): one bar, its end moved on
            wait = new Span(Span.WAIT, null, wait.start(), null, untilMs, what, null);
            return;
        }
        closeWait(at);
        wait = new Span(Span.WAIT, null, at, null, untilMs, what, null);
    }

    /** The wait in progress is over (nothing when none is). */
    public synchronized void waitEnded() {
        closeWait(now());
    }

    /** Every bar so far, in the order they began, with the ones still going last (end null). */
    @JsonProperty("spans")
    public synchronized List<Span> spans() {
        List<Span> all = new ArrayList<>(spans);
        if (attempt != null) {
            all.add(attempt);
        }
        if (wait != null) {
            all.add(wait);
        }
        all.sort(java.util.Comparator.comparingLong(Span::start));
        return all;
    }

    /** What the step is waiting for now, or null when it is not waiting. */
    public synchronized Span waiting() {
        return wait;
    }

    /** The attempt in progress, or null. */
    public synchronized Span running() {
        return attempt;
    }

    private void closeWait(long at) {
        if (wait != null) {
            add(wait.ended(at, wait.outcome(), null));
            wait = null;
        }
    }

    private void add(Span span) {
        if (spans.size() >= MAX_SPANS) {
            // a call throttled for hours: the first bars and the last ones are what an operator reads
            spans.remove(MAX_SPANS / 2);
            dropped++;
        }
        spans.add(span);
    }

    /** Bars left out of a very long timeline (its middle), 0 as a rule. */
    public synchronized int dropped() {
        return dropped;
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
