package io.scenepipeline.simulator;

import io.scenepipeline.support.Wav;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One face_rig server (its routes as docs/providers.md describes them), answering as the real one does: one call at
 * a time (the real server's event loop blocks on each call, {@code /health} too), its own 404s and 400s wrapped in
 * 500s, {@code format} required, multipart text fields decoded with the charset the request declares. Triggers
 * beyond {@link Faults}: {@code [sim:align-nomfa]} (a server without its aligner), {@code [sim:emotions-nokey]} (without
 * its OpenAI key).
 */
final class FaceRigSimulator {

    /** The real server handles one request at a time; later ones wait in line. */
    private final ReentrantLock oneAtATime = new ReentrantLock(true);

    private final Faults faults;
    private final SimulatorSettings settings;
    private final Map<String, byte[]> audio = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong(System.currentTimeMillis());
    private final List<String> transcripts = new CopyOnWriteArrayList<>();

    FaceRigSimulator(Faults faults, SimulatorSettings settings) {
        this.faults = faults;
        this.settings = settings;
    }

    private void work(String kind) {
        long ms = settings.latency(kind, 0);
        if (ms > 0) {
            ProviderSimulator.sleep(ms);
        }
    }

    /** The transcripts of the alignments so far, as the server decoded them (what its aligner read). */
    List<String> transcripts() {
        return List.copyOf(transcripts);
    }

    /** Forgets every uploaded audio file (a server restarted without its files). */
    void forgetAudio() {
        audio.clear();
    }

    Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private void count(String kind) {
        counts.computeIfAbsent("facerig." + kind, k -> new AtomicInteger()).incrementAndGet();
    }

    boolean handle(SimRequest req) throws IOException {
        oneAtATime.lock();
        try {
            return route(req);
        } finally {
            oneAtATime.unlock();
        }
    }

    private boolean route(SimRequest req) throws IOException {
        switch (req.method + " " + req.path) {
            case "GET /health" -> req.json(200, Map.of("status", "ok", "s3_enabled", false));
            case "POST /audio/upload" -> upload(req);
            case "POST /generate-alignment" -> align(req);
            case "POST /generate-emotions" -> emotions(req);
            case "POST /export-video" -> export(req);
            default -> {
                if (req.method.equals("GET") && req.path.startsWith("/audio/")) {
                    byte[] wav = audio.get(req.path.substring("/audio/".length()));
                    if (wav == null) {
                        req.json(404, Map.of("detail", "Audio file not found"));
                    } else {
                        req.send(200, "audio/wav", wav);
                    }
                    return true;
                }
                return false;
            }
        }
        return true;
    }

    private void upload(SimRequest req) throws IOException {
        count("upload");
        work("upload");
        Map<String, Multipart.Part> parts = Multipart.parse(req.header("Content-Type"), req.body);
        Multipart.Part file = parts.get("file");
        if (file == null) {
            missing(req, "file");
            return;
        }
        if (fault(req, "upload", faults.textOf(file.content()))) {
            return;
        }
        String ext = file.fileName() != null && file.fileName().contains(".")
                ? file.fileName().substring(file.fileName().lastIndexOf('.')) : ".wav";
        String name = "upload_" + clock.incrementAndGet() + ext.toLowerCase(Locale.ROOT);
        audio.put(name, file.content());
        req.json(200, Map.of("filename", name, "path", "/srv/face_rig/audio/" + name));
    }

    private void align(SimRequest req) throws IOException {
        count("alignment");
        work("align");
        Map<String, Multipart.Part> parts = Multipart.parse(req.header("Content-Type"), req.body);
        if (!parts.containsKey("audio")) {
            missing(req, "audio");
            return;
        }
        if (!parts.containsKey("transcript")) {
            missing(req, "transcript");
            return;
        }
        String transcript = parts.get("transcript").text(Multipart.charset(req.header("Content-Type")));
        transcripts.add(transcript);
        if (transcript.contains("[sim:align-nomfa]")) {
            req.json(500, Map.of("detail", "Failed to generate alignment: MFA not available in conda env 'aligner': "
                    + "bash: mfa: command not found"));
            return;
        }
        if (fault(req, "align", transcript)) {
            return;
        }
        byte[] wav = parts.get("audio").content();
        if (!Wav.isWav(wav)) {
            req.json(500, Map.of("detail", "Failed to generate alignment: audio is not a WAV file"));
            return;
        }
        long total = Wav.durationMillis(wav);
        String[] words = Faults.clean(transcript).split("\\s+");
        List<Map<String, Object>> keyframes = new ArrayList<>();
        long step = words.length == 0 ? total : (total - 300) / Math.max(1, words.length);
        for (int i = 0; i < words.length; i++) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("time_ms", 150 + i * step);
            k.put("target_expr", expressionOf(words[i]));
            k.put("target_pose", "center");
            k.put("transition_duration_ms", 500);
            k.put("phoneme", words[i].toUpperCase(Locale.ROOT).replaceAll("[^A-Z]", ""));
            keyframes.add(k);
        }
        req.json(200, Map.of("id", "phoneme_animation_" + (keyframes.isEmpty() ? 0 : 150),
                "keyframes", keyframes, "total_duration_ms", total));
    }

    private void emotions(SimRequest req) throws IOException {
        count("emotions");
        work("emotions");
        ObjectNode body = req.jsonObject();
        for (String field : List.of("transcript", "phoneme_timeline", "total_duration_ms")) {
            if (body == null || !body.has(field)) {
                missing(req, field);
                return;
            }
        }
        String transcript = body.get("transcript").asText();
        if (transcript.contains("[sim:emotions-nokey]")) {
            req.json(500, Map.of("detail", "OPENAI_API_KEY not set in environment"));
            return;
        }
        if (fault(req, "emotions", transcript)) {
            return;
        }
        long total = body.get("total_duration_ms").asLong();
        List<Map<String, Object>> keyframes = new ArrayList<>();
        keyframes.add(Map.of("time_ms", 0, "target_expr", "happy_soft", "reason", "friendly opening"));
        String middle = transcript.contains("?") ? "concerned" : transcript.contains("!") ? "surprised_ah" : "neutral";
        keyframes.add(Map.of("time_ms", total / 2, "target_expr", middle, "reason", "tone of the sentence"));
        keyframes.add(Map.of("time_ms", Math.max(0, total - 400), "target_expr", "happy_soft", "reason", "warm close"));
        req.json(200, Map.of("keyframes", keyframes));
    }

    private void export(SimRequest req) throws IOException {
        count("export");
        work("export");
        ObjectNode body = req.jsonObject();
        for (String field : List.of("combined_timeline", "format")) {
            if (body == null || !body.has(field)) {
                missing(req, field);
                return;
            }
        }
        // the real server raises its 404 and 400 inside try/except: they reach the client as 500s
        JsonNode timeline = body.get("combined_timeline");
        String url = body.path("audio_url").asText("");
        String name = url.substring(url.lastIndexOf('/') + 1);
        if (!url.isEmpty() && !audio.containsKey(name)) {
            req.json(500, Map.of("detail", "Failed to export video: (404, 'Audio file not found: " + name + "')"));
            return;
        }
        if (!timeline.isArray() || timeline.isEmpty()) {
            req.json(500, Map.of("detail", "Failed to export video: (400, 'Empty timeline')"));
            return;
        }
        if (fault(req, "export", faults.textOf(audio.get(name)))) {
            return;
        }
        List<long[]> times = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        long end = 0;
        for (JsonNode k : timeline) {
            long t = k.path("time_ms").asLong();
            times.add(new long[] {t});
            expressions.add(k.path("target_expr").asText("neutral"));
            end = Math.max(end, t + k.path("transition_duration_ms").asLong(500));
        }
        int fps = body.path("fps").asInt(24);
        byte[] mp4 = Media.face(times, expressions, end, fps, settings.fastMedia());
        req.exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=export_" + System.currentTimeMillis() / 1000 + ".mp4");
        req.send(200, "video/mp4", mp4);
    }

    private boolean fault(SimRequest req, String target, String text) throws IOException {
        Optional<String> fault = faults.next(target, text);
        return faults.answer(req, fault, (r, status) -> r.json(status, Map.of("detail",
                status == 500 ? "Failed to generate " + target + ": simulated failure" : "Simulated error " + status)));
    }

    private static void missing(SimRequest req, String field) throws IOException {
        req.json(422, Map.of("detail", List.of(Map.of("loc", List.of("body", field), "msg", "field required", "type", "value_error.missing"))));
    }

    private static String expressionOf(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        for (char c : w.toCharArray()) {
            switch (c) {
                case 'a' -> { return "speaking_ah"; }
                case 'e', 'i', 'y' -> { return "speaking_ee"; }
                case 'u' -> { return "speaking_uw"; }
                case 'o' -> { return "oh_round"; }
                default -> { }
            }
        }
        return "neutral";
    }
}
