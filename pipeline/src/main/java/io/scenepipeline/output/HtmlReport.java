package io.scenepipeline.output;

import io.scenepipeline.plan.Scene;
import io.scenepipeline.run.Failure;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.SceneResult;
import io.scenepipeline.run.StepRecord;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;

import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report a person opens in a browser: {@code outbox/P/report.html} for a finished plan (every scene's image,
 * clip, narration and face_rig video, the steps with what they cost) and {@code dead-letter/P.report.html} for a
 * failed one (what finished, what failed and why). Self-contained: inline style, relative links only, no script,
 * nothing fetched from elsewhere. The page is the template {@code templates/report.html.mustache}, filled from the
 * view below; the template escapes every value for HTML (plan and provider text are untrusted), nothing is written raw.
 */
public final class HtmlReport {

    private static final Mustache TEMPLATE = new DefaultMustacheFactory("templates").compile("report.html.mustache");

    /** What the template shows; every text is escaped where the template puts it. */
    record View(String title, String subtitle, FinalVideo finalVideo, FailureView failure, boolean hasTotals,
                List<Total> totals, TimelinePicture.Picture timeline, List<Card> cards) {
    }

    record FinalVideo(String src, String note, String poster) {
    }

    record FailureView(String stage, Integer scene, String error, String provider, Integer httpStatus, int attempts,
                       String retryable, boolean hasProblems, List<String> problems, String advice) {
    }

    record Total(String value, String label) {
    }

    record Card(int number, String type, boolean unfinished, boolean withMedia, List<Media> media, String audio,
                String narration, String prompt, List<Row> steps, String cost) {
    }

    record Media(String src, String caption, boolean image, boolean video, boolean missing, String poster) {
        public String lowerCaption() {
            return caption.toLowerCase(Locale.ROOT);
        }
    }

    record Row(String step, String provider, String model, String attempts, String duration, String cost, String state,
               String stateLabel) {
    }

    private HtmlReport() {
    }

    /** The report of a finished plan, written beside its files (all links relative to the plan folder). */
    public static String succeeded(PlanRun run, Instant finishedAt, String finalVideo, String assemblyNote) {
        return succeeded(run, finishedAt, finalVideo, assemblyNote, List.of());
    }

    /** With the plan's earlier runs: what they spent stays in view. */
    public static String succeeded(PlanRun run, Instant finishedAt, String finalVideo, String assemblyNote,
                                   List<Map<String, Object>> history) {
        // the first scene's keyframe as the video's poster: no black box before it plays
        String poster = run.scenes().isEmpty() ? null : run.scenes().get(0).files().get("image");
        FinalVideo video = finalVideo != null ? new FinalVideo(finalVideo, null, poster)
                : assemblyNote != null ? new FinalVideo(null, assemblyNote, null) : null;
        List<Total> totals = new ArrayList<>(totals(run, finishedAt));
        if (!history.isEmpty()) {
            double before = history.stream().mapToDouble(h -> ((Number) h.get("cost_usd")).doubleValue()).sum();
            totals.add(new Total(usd(before), "spent in " + history.size() + (history.size() == 1 ? " earlier run" : " earlier runs")));
        }
        return render(new View(title(run), "Finished " + local(finishedAt) + " from " + run.fileName(), video, null, true,
                totals, TimelinePicture.of(run, finishedAt), cards(run, true)));
    }

    /** The report of a dead-lettered plan: the failure first, then what had finished (its outputs stay in the journal). */
    public static String failed(String planId, PlanRun run, Instant failedAt, Failure failure, List<String> problems) {
        String advice = run != null
                ? "Paid steps that finished are kept in the step journal: drop the plan again once the cause is fixed and only what is missing runs."
                : "Nothing ran and no provider was called: fix the plan and drop it again.";
        FailureView why = new FailureView(failure.stage(), failure.sceneNumber(), failure.error(), failure.provider(),
                failure.httpStatus(), failure.attempts(), failure.retryable() ? "yes (all attempts used)" : "no",
                problems != null && !problems.isEmpty(), problems == null ? List.of() : problems, advice);
        return render(new View(run == null ? planId : title(run), "Failed " + local(failedAt) + (run == null ? "" : " from " + run.fileName()),
                null, why, run != null, run == null ? List.of() : totals(run, failedAt), run == null ? null : TimelinePicture.of(run, failedAt),
                run == null ? List.of() : cards(run, false)));
    }

    private static String render(View view) {
        StringWriter out = new StringWriter(16_384);
        try {
            TEMPLATE.execute(out, view).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String title(PlanRun run) {
        return run.plan().title() == null ? run.planId() : run.plan().title();
    }

    private static List<Total> totals(PlanRun run, Instant end) {
        int paid = 0;
        int free = 0;
        int calls = 0;
        int reused = 0;
        for (SceneResult s : run.scenes()) {
            for (StepRecord st : s.steps()) {
                switch (state(st)) {
                    case "reused" -> reused++;
                    case "paid" -> paid++;
                    case "free" -> free++;
                    default -> {
                    }
                }
                if (!st.reused() && st.finished()) {
                    calls += st.attempts();
                }
            }
        }
        long complete = run.scenes().stream().filter(SceneResult::complete).count();
        return List.of(new Total(complete + "/" + run.scenes().size(), "scenes done"),
                new Total(String.valueOf(paid), "steps paid"),
                new Total(String.valueOf(free), "free (face_rig)"),
                new Total(String.valueOf(reused), "reused from journal"),
                new Total(String.valueOf(calls - paid - free), "retries"),
                new Total(usd(run.costUsd()), "spent"),
                new Total(seconds(end.toEpochMilli() - run.startedAt().toEpochMilli()), "wall time"));
    }

    private static List<Card> cards(PlanRun run, boolean withMedia) {
        List<Card> cards = new ArrayList<>();
        for (SceneResult result : run.scenes()) {
            Scene scene = result.scene();
            Map<String, String> files = result.files();
            List<Media> media = new ArrayList<>();
            media.add(media(files.get("image"), true, "Keyframe", null));
            media.add(media(files.get("clip"), false, "Clip", files.get("image")));
            if (files.containsKey("face_rig")) {
                media.add(media(files.get("face_rig"), false, "face_rig character", null));
            }
            List<Row> rows = result.steps().stream().map(st -> new Row(st.step(), st.provider(), st.model() == null ? "" : st.model(),
                    st.reused() ? "" : String.valueOf(st.attempts()), st.durationMs() == null ? "" : seconds(st.durationMs()),
                    st.reused() ? "free" : st.costUsd() == null ? (st.finished() ? "free" : "") : usd(st.costUsd()),
                    state(st), state(st).isEmpty() ? "not finished" : state(st))).toList();
            double sceneCost = result.steps().stream().filter(st -> st.costUsd() != null).mapToDouble(StepRecord::costUsd).sum();
            cards.add(new Card(result.sceneNumber(), "video".equals(result.sceneType()) ? null : result.sceneType(),
                    !result.complete(), withMedia, media, files.get("audio"), scene.narration(), scene.visualDescription(),
                    rows, usd(sceneCost)));
        }
        return cards;
    }

    /** reused (from the journal), paid (priced), free (face_rig: no price), or "" while not finished. */
    private static String state(StepRecord st) {
        return st.reused() ? "reused" : !st.finished() ? "" : st.costUsd() != null ? "paid" : "free";
    }

    private static Media media(String file, boolean image, String caption, String poster) {
        return new Media(file, caption, file != null && image, file != null && !image, file == null, poster);
    }

    /** The machine's local time, to the second, with its zone: {@code 2026-12-07 10:04:31 CET}. */
    static String local(Instant at) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT)
                .format(at.atZone(java.time.ZoneId.systemDefault()));
    }

    private static String usd(double value) {
        return String.format(Locale.ROOT, "$%.4f", value);
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
