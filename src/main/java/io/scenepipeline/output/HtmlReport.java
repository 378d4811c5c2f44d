package io.scenepipeline.output;

import io.scenepipeline.plan.Scene;
import io.scenepipeline.run.Failure;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.SceneResult;
import io.scenepipeline.run.StepRecord;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report a person opens in a browser: {@code outbox/P/report.html} for a finished plan (every scene's image,
 * clip, narration and face_rig video, the steps with what they cost) and {@code dead-letter/P.report.html} for a
 * failed one (what finished, what failed and why). Self-contained: inline style, relative links only, no script,
 * nothing fetched from elsewhere; every text from the plan or a provider is escaped.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
            header{background:#1d2330;color:#fff;padding:20px 32px}header h1{margin:0 0 6px;font-size:24px}
            header p{margin:0;color:#b8c0d0}main{padding:24px 32px;max-width:1280px}
            .totals{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:24px}
            .total{background:#fff;border-radius:8px;padding:10px 16px;box-shadow:0 1px 2px #0002}
            .total b{display:block;font-size:20px}.total span{color:#667;font-size:12px;text-transform:uppercase}
            .final{background:#fff;border-radius:8px;padding:16px;margin-bottom:24px;box-shadow:0 1px 2px #0002}
            .final video{width:100%;max-width:960px;border-radius:6px;background:#000}
            .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:16px}
            .card{background:#fff;border-radius:8px;padding:16px;box-shadow:0 1px 2px #0002;overflow-x:auto}
            .card h2{margin:0 0 8px;font-size:17px}.media{display:grid;grid-template-columns:1fr 1fr;gap:8px}
            .media img,.media video{width:100%;border-radius:4px;background:#000}.media figure{margin:0}
            figcaption{font-size:11px;color:#667}audio{width:100%;margin:8px 0}
            .text{font-size:13px;margin:6px 0}.text b{color:#667;font-weight:600}
            table{border-collapse:collapse;width:100%;font-size:12px;margin-top:8px}
            th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e3e6eb;overflow-wrap:anywhere}th{color:#667;font-weight:600}
            .reused{color:#2a7a3b}.paid{color:#8a5a00}.failed{background:#fff0f0;border-left:4px solid #c62828;padding:12px 16px;border-radius:6px;margin-bottom:24px}
            .failed h2{margin:0 0 6px;color:#c62828;font-size:18px}.missing{color:#999;font-size:12px}
            """;

    private HtmlReport() {
    }

    /** The report of a finished plan, written beside its files (all links relative to the plan folder). */
    public static String succeeded(PlanRun run, Instant finishedAt, String finalVideo, String assemblyNote) {
        StringBuilder h = start(title(run), "Finished " + finishedAt + " from " + run.fileName());
        h.append("<main>");
        if (finalVideo != null) {
            h.append("<section class=\"final\"><h2>Final video</h2><video controls preload=\"metadata\" src=\"")
                    .append(attr(finalVideo)).append("\"></video></section>");
        } else if (assemblyNote != null) {
            h.append("<section class=\"final\"><h2>Final video</h2><p class=\"missing\">").append(esc(assemblyNote)).append("</p></section>");
        }
        totals(h, run, finishedAt);
        h.append("<section class=\"cards\">");
        for (SceneResult scene : run.scenes()) {
            card(h, scene, true);
        }
        h.append("</section></main></body></html>\n");
        return h.toString();
    }

    /** The report of a dead-lettered plan: the failure first, then what had finished (its outputs stay in the journal). */
    public static String failed(String planId, PlanRun run, Instant failedAt, Failure failure, List<String> problems) {
        StringBuilder h = start(run == null ? planId : title(run), "Failed " + failedAt + (run == null ? "" : " from " + run.fileName()));
        h.append("<main><section class=\"failed\"><h2>Failed at ").append(esc(failure.stage()));
        if (failure.sceneNumber() != null) {
            h.append(", scene ").append(failure.sceneNumber());
        }
        h.append("</h2><p>").append(esc(failure.error())).append("</p><p class=\"text\">");
        if (failure.provider() != null) {
            h.append("<b>Provider</b> ").append(esc(failure.provider())).append(" &middot; ");
        }
        if (failure.httpStatus() != null) {
            h.append("<b>HTTP</b> ").append(failure.httpStatus()).append(" &middot; ");
        }
        h.append("<b>Attempts</b> ").append(failure.attempts()).append(" &middot; <b>Retryable</b> ")
                .append(failure.retryable() ? "yes (all attempts used)" : "no").append("</p>");
        if (problems != null && !problems.isEmpty()) {
            h.append("<ul>");
            problems.forEach(p -> h.append("<li>").append(esc(p)).append("</li>"));
            h.append("</ul>");
        }
        if (run != null) {
            h.append("<p class=\"text\">Paid steps that finished are kept in the step journal: drop the plan again once the cause "
                    + "is fixed and only what is missing runs.</p>");
        } else {
            h.append("<p class=\"text\">Nothing ran and no provider was called: fix the plan and drop it again.</p>");
        }
        h.append("</section>");
        if (run != null) {
            totals(h, run, failedAt);
            h.append("<section class=\"cards\">");
            for (SceneResult scene : run.scenes()) {
                card(h, scene, false);
            }
            h.append("</section>");
        }
        h.append("</main></body></html>\n");
        return h.toString();
    }

    private static String title(PlanRun run) {
        return run.plan().title() == null ? run.planId() : run.plan().title();
    }

    private static StringBuilder start(String title, String subtitle) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; style-src 'unsafe-inline'; script-src 'none'\">")
                .append("<title>").append(esc(title)).append(" · scene-pipeline</title><style>").append(STYLE).append("</style></head><body>")
                .append("<header><h1>").append(esc(title)).append("</h1><p>").append(esc(subtitle)).append("</p></header>");
        return h;
    }

    private static void totals(StringBuilder h, PlanRun run, Instant end) {
        int paid = 0;
        int attempts = 0;
        int reused = 0;
        for (SceneResult s : run.scenes()) {
            for (StepRecord st : s.steps()) {
                if (st.reused()) {
                    reused++;
                } else if (st.finished()) {
                    paid++;
                    attempts += st.attempts();
                }
            }
        }
        long complete = run.scenes().stream().filter(SceneResult::complete).count();
        h.append("<section class=\"totals\">");
        total(h, complete + "/" + run.scenes().size(), "scenes done");
        total(h, String.valueOf(paid), "steps paid");
        total(h, String.valueOf(attempts - paid), "retries");
        total(h, String.valueOf(reused), "reused from journal");
        total(h, usd(run.costUsd()), "spent");
        total(h, seconds(end.toEpochMilli() - run.startedAt().toEpochMilli()), "wall time");
        h.append("</section>");
    }

    private static String usd(double value) {
        return String.format(Locale.ROOT, "$%.4f", value);
    }

    private static void total(StringBuilder h, String value, String label) {
        h.append("<div class=\"total\"><b>").append(esc(value)).append("</b> <span>").append(esc(label)).append("</span></div>");
    }

    private static void card(StringBuilder h, SceneResult result, boolean withMedia) {
        Scene scene = result.scene();
        Map<String, String> files = result.files();
        h.append("<article class=\"card\" id=\"scene-").append(result.sceneNumber()).append("\"><h2>Scene ").append(result.sceneNumber());
        if (!"video".equals(result.sceneType())) {
            h.append(" <small>(").append(esc(result.sceneType())).append(")</small>");
        }
        h.append(result.complete() ? "" : " <small class=\"missing\">not finished</small>").append("</h2>");
        if (withMedia) {
            h.append("<div class=\"media\">");
            media(h, files.get("image"), "img", "Keyframe");
            media(h, files.get("clip"), "video", "Clip");
            if (files.containsKey("face_rig")) {
                media(h, files.get("face_rig"), "video", "face_rig character");
            }
            h.append("</div>");
            if (files.containsKey("audio")) {
                h.append("<audio controls preload=\"none\" src=\"").append(attr(files.get("audio"))).append("\"></audio>");
            }
        }
        if (scene.narration() != null) {
            h.append("<p class=\"text\"><b>Narration</b> ").append(esc(scene.narration())).append("</p>");
        }
        h.append("<p class=\"text\"><b>Prompt</b> ").append(esc(scene.visualDescription())).append("</p>");
        h.append("<table><thead><tr><th>step</th><th>provider</th><th>model</th><th>attempts</th><th>duration</th><th>cost</th><th></th></tr></thead><tbody>");
        for (StepRecord st : result.steps()) {
            h.append("<tr><td>").append(esc(st.step())).append("</td><td>").append(esc(st.provider())).append("</td><td>")
                    .append(esc(st.model() == null ? "" : st.model())).append("</td><td>").append(st.reused() ? "" : st.attempts())
                    .append("</td><td>").append(st.durationMs() == null ? "" : seconds(st.durationMs()))
                    .append("</td><td>").append(st.costUsd() == null ? "" : usd(st.costUsd())).append("</td><td class=\"")
                    .append(st.reused() ? "reused\">reused" : st.finished() ? "paid\">paid" : "\">not finished").append("</td></tr>");
        }
        double sceneCost = result.steps().stream().filter(st -> st.costUsd() != null).mapToDouble(StepRecord::costUsd).sum();
        h.append("</tbody></table><p class=\"text\"><b>Scene cost</b> ").append(usd(sceneCost)).append("</p></article>");
    }

    private static void media(StringBuilder h, String file, String tag, String caption) {
        h.append("<figure>");
        if (file == null) {
            h.append("<p class=\"missing\">no ").append(esc(caption.toLowerCase(Locale.ROOT))).append("</p>");
        } else if ("img".equals(tag)) {
            h.append("<img loading=\"lazy\" alt=\"").append(attr(caption)).append("\" src=\"").append(attr(file)).append("\">");
        } else {
            h.append("<video controls muted preload=\"metadata\" src=\"").append(attr(file)).append("\"></video>");
        }
        h.append("<figcaption>").append(esc(caption)).append("</figcaption></figure>");
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A relative link inside the plan folder (paths we made: {@code images/scene_1.png}), escaped for an attribute. */
    private static String attr(String s) {
        return esc(s);
    }
}
