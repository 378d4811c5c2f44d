package io.scenepipeline.output;

import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.SceneResult;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.StepTimeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plan's timeline as a picture for its report (an SVG the template draws): one lane per scene and step, every
 * attempt a bar coloured by how it ended, every wait a thin hatched bar, a step taken from the journal a grey mark,
 * each bar's reason in its tooltip; a time axis under it. The same picture as the console's, with no script.
 */
final class TimelinePicture {

    static final int WIDTH = 960;
    private static final int LABEL = 190;
    private static final int COST = 80;
    private static final int LANE = 18;
    private static final int TOP = 8;

    /** What the template draws; every text is escaped there. */
    record Picture(int width, int height, int axisY, List<Lane> lanes, List<Bar> bars, List<Tick> ticks) {
    }

    record Lane(String y, String label, String cost, String costX, boolean sceneStart, String lineY) {
    }

    record Bar(String x, String y, String w, String h, String kind, String tip) {
    }

    record Tick(String x, String label) {
    }

    private TimelinePicture() {
    }

    /** The picture of {@code run} up to {@code end}, or null when it has no step. */
    static Picture of(PlanRun run, Instant end) {
        long start = run.startedAt().toEpochMilli();
        long stop = Math.max(end.toEpochMilli(), start + 1000);
        double span = stop - start;
        double track = WIDTH - LABEL - COST;
        List<Lane> lanes = new ArrayList<>();
        List<Bar> bars = new ArrayList<>();
        int y = TOP;
        for (SceneResult scene : run.scenes()) {
            boolean first = true;
            for (StepRecord step : scene.steps()) {
                String cost = step.reused() ? "journal" : step.costUsd() == null ? "free" : String.format(Locale.ROOT, "$%.4f", step.costUsd());
                lanes.add(new Lane(num(y + 12), (first ? "Scene " + scene.sceneNumber() + " · " : "") + step.step(), cost,
                        num(WIDTH - 4), first && y > TOP, num(y - 1)));
                for (StepTimeline.Span s : step.timeline().spans()) {
                    long from = Math.max(s.start(), start);
                    long to = s.end() == null ? stop : Math.min(s.end(), stop);
                    double x = LABEL + track * (from - start) / span;
                    double w = Math.max(2, track * (to - from) / span);
                    boolean wait = StepTimeline.Span.WAIT.equals(s.kind());
                    String kind = wait ? "wait" : s.end() == null ? "running" : s.outcome();
                    bars.add(new Bar(num(x), num(wait ? y + 6 : y + 2), num(w), wait ? "5" : "12", kind, tip(s)));
                }
                y += LANE;
                first = false;
            }
        }
        if (lanes.isEmpty()) {
            return null;
        }
        List<Tick> ticks = new ArrayList<>();
        long step = niceStep(span);
        for (long t = 0; t <= span; t += step) {
            ticks.add(new Tick(num(LABEL + track * t / span), seconds(t)));
        }
        return new Picture(WIDTH, y + 22, y + 14, lanes, bars, ticks);
    }

    private static String tip(StepTimeline.Span s) {
        long ms = (s.end() == null ? System.currentTimeMillis() : s.end()) - s.start();
        if (StepTimeline.Span.WAIT.equals(s.kind())) {
            return "waited " + seconds(ms) + " for " + s.outcome();
        }
        if ("reused".equals(s.outcome())) {
            return "taken from the journal: nothing paid";
        }
        return "attempt " + s.attempt() + " " + (s.outcome() == null ? "running" : s.outcome()) + " after " + seconds(ms)
                + (s.reason() == null ? "" : ": " + s.reason());
    }

    private static long niceStep(double spanMs) {
        for (long candidate : new long[] {1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000}) {
            if (spanMs / candidate <= 10) {
                return candidate;
            }
        }
        return 7_200_000;
    }

    private static String seconds(long ms) {
        return ms >= 120_000 ? (ms / 60_000) + " min" : String.format(Locale.ROOT, ms < 10_000 && ms % 1000 != 0 ? "%.1f s" : "%.0f s", ms / 1000.0);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
