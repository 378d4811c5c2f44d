package io.scenepipeline.provider.facerig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.scenepipeline.output.AtomicFiles;
import io.scenepipeline.plan.Scene;
import io.scenepipeline.provider.HttpRequest;
import io.scenepipeline.run.Steps;
import io.scenepipeline.state.StepEntry;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.state.StepKeys;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.MalformedResponseException;
import org.apache.camel.Exchange;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The face_rig steps of a scene (providers.md §3): forced alignment, emotions, the original client's timeline
 * merge, and the video export, preceded by the upload of the narration it plays. Alignment, emotions and export are
 * journaled; the upload places a file on the server for the export only, so it runs only when the export does.
 */
public final class FaceRigSteps {

    static final String UPLOADED = "faceRigAudio";
    static final String PHONEMES = "faceRigPhonemes";
    static final String TOTAL_MS = "faceRigTotalMs";
    static final String TIMELINE = "faceRigTimeline";
    static final String EXPORT_KEY = "faceRigExportKey";
    private static final ContentType WAV = ContentType.create("audio/wav");
    private static final ContentType TEXT = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);

    private final StepJournal journal;

    public FaceRigSteps(StepJournal journal) {
        this.journal = journal;
    }

    public void prepareAlignment(Exchange exchange) throws IOException {
        Path audio = audio(exchange);
        String transcript = Steps.scene(exchange).narration();
        Map<String, Object> keyed = new LinkedHashMap<>();
        keyed.put("audio", StepKeys.fileRef(StepJournal.hash(audio)));
        keyed.put("transcript", transcript);
        Steps.begin(exchange, "alignment", "face_rig", "mfa", StepKeys.of("alignment", keyed));
        Optional<StepEntry> done = Steps.reuse(exchange, journal, null);
        if (done.isPresent()) {
            acceptAlignment(exchange, Json.read(new String(journal.read(done.get()), StandardCharsets.UTF_8)));
            return;
        }
        HttpRequest.start(exchange, "POST", "/generate-alignment").setBody(MultipartEntityBuilder.create()
                .addBinaryBody("audio", audio.toFile(), WAV, audio.getFileName().toString())
                .addTextBody("transcript", transcript, TEXT)
                .build());
    }

    public void aligned(Exchange exchange) throws IOException {
        String body = exchange.getIn().getBody(String.class);
        acceptAlignment(exchange, Json.readResponse("face_rig", body));
        Steps.complete(exchange, journal, body.getBytes(StandardCharsets.UTF_8), ".json");
    }

    private static void acceptAlignment(Exchange exchange, JsonNode answer) {
        JsonNode keyframes = answer.get("keyframes");
        if (keyframes == null || !keyframes.isArray()) {
            throw new MalformedResponseException("face_rig answered /generate-alignment without keyframes");
        }
        exchange.setProperty(PHONEMES, keyframes);
        exchange.setProperty(TOTAL_MS, answer.path("total_duration_ms").asLong(0));
    }

    public void prepareEmotions(Exchange exchange) throws IOException {
        Scene scene = Steps.scene(exchange);
        long total = exchange.getProperty(TOTAL_MS, 0L, Long.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transcript", scene.narration());
        body.put("phoneme_timeline", exchange.getProperty(PHONEMES));
        body.put("total_duration_ms", total > 0 ? total : Math.round(scene.duration() * 1000));
        Steps.begin(exchange, "emotions", "face_rig", null, StepKeys.of("emotions", body));
        Optional<StepEntry> done = Steps.reuse(exchange, journal, null);
        if (done.isPresent()) {
            acceptEmotions(exchange, Json.read(new String(journal.read(done.get()), StandardCharsets.UTF_8)));
            return;
        }
        HttpRequest.json(exchange, "POST", "/generate-emotions", Json.write(body));
    }

    public void emotions(Exchange exchange) throws IOException {
        String body = exchange.getIn().getBody(String.class);
        acceptEmotions(exchange, Json.readResponse("face_rig", body));
        Steps.complete(exchange, journal, body.getBytes(StandardCharsets.UTF_8), ".json");
    }

    private static void acceptEmotions(Exchange exchange, JsonNode answer) {
        ArrayNode timeline = TimelineMerger.merge(exchange.getProperty(PHONEMES, JsonNode.class), answer.get("keyframes"));
        exchange.setProperty(TIMELINE, timeline);
    }

    /** Reuses the export when an earlier run made it from the same timeline and audio; else remembers its key. */
    public void checkExport(Exchange exchange) throws IOException {
        Map<String, Object> keyed = exportBody(exchange, StepKeys.fileRef(StepJournal.hash(audio(exchange))));
        String key = StepKeys.of("export", keyed);
        exchange.setProperty(EXPORT_KEY, key);
        exchange.setProperty(Steps.REUSED, false);
        if (journal.find(key).isPresent()) {
            Steps.begin(exchange, "export", "face_rig", null, key);
            if (Steps.reuse(exchange, journal, target(exchange)).isPresent()) {
                Steps.sceneResult(exchange).file("face_rig", target(exchange));
            }
        }
    }

    public void prepareUpload(Exchange exchange) {
        Steps.begin(exchange, "upload-audio", "face_rig", null, null);
        Path audio = audio(exchange);
        HttpRequest.start(exchange, "POST", "/audio/upload").setBody(MultipartEntityBuilder.create()
                .addBinaryBody("file", audio.toFile(), WAV, audio.getFileName().toString()).build());
    }

    public void uploaded(Exchange exchange) {
        JsonNode answer = Json.readResponse("face_rig", exchange.getIn().getBody(String.class));
        String filename = answer.path("filename").asText("");
        if (filename.isBlank()) {
            throw new MalformedResponseException("face_rig answered /audio/upload without a filename");
        }
        exchange.setProperty(UPLOADED, filename);
        Steps.finish(exchange);
    }

    public void prepareExport(Exchange exchange) {
        Steps.begin(exchange, "export", "face_rig", null, exchange.getProperty(EXPORT_KEY, String.class));
        Map<String, Object> body = exportBody(exchange, "/audio/" + exchange.getProperty(UPLOADED, String.class));
        HttpRequest.json(exchange, "POST", "/export-video", Json.write(body)).setHeader("Accept", "video/mp4");
    }

    private static Map<String, Object> exportBody(Exchange exchange, String audioUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("combined_timeline", exchange.getProperty(TIMELINE));
        body.put("audio_url", audioUrl);
        body.put("format", "mp4");
        body.put("fps", 24);
        return body;
    }

    public void storeExport(Exchange exchange) throws IOException {
        String relative = target(exchange);
        Path file = AtomicFiles.inside(Steps.run(exchange).stagingDir(), Path.of(relative));
        long written;
        try (InputStream in = exchange.getIn().getBody(InputStream.class)) {
            if (in == null) {
                throw new MalformedResponseException("face_rig answered /export-video with an empty body");
            }
            written = AtomicFiles.write(file, in);
        }
        if (written == 0) {
            throw new MalformedResponseException("face_rig answered /export-video with an empty body");
        }
        Steps.sceneResult(exchange).file("face_rig", relative);
        Steps.complete(exchange, journal, file, null);
    }

    private static String target(Exchange exchange) {
        return "face_rig/scene_" + Steps.scene(exchange).sceneNumber() + ".mp4";
    }

    private static Path audio(Exchange exchange) {
        String relative = Steps.sceneResult(exchange).files().get("audio");
        return Steps.run(exchange).stagingDir().resolve(relative);
    }
}
