package io.scenepipeline.provider.facerig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.scenepipeline.output.AtomicFiles;
import io.scenepipeline.plan.Scene;
import io.scenepipeline.provider.HttpRequest;
import io.scenepipeline.run.Steps;
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

/**
 * The face_rig steps of a scene (providers.md §3): upload the narration WAV, forced alignment, emotions, the
 * original client's timeline merge, and the video export that plays the uploaded audio.
 */
public final class FaceRigSteps {

    static final String UPLOADED = "faceRigAudio";
    static final String PHONEMES = "faceRigPhonemes";
    static final String TOTAL_MS = "faceRigTotalMs";
    static final String TIMELINE = "faceRigTimeline";
    private static final ContentType WAV = ContentType.create("audio/wav");
    private static final ContentType TEXT = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);

    public void prepareUpload(Exchange exchange) {
        Steps.begin(exchange, "upload-audio", "face_rig", null);
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

    public void prepareAlignment(Exchange exchange) {
        Steps.begin(exchange, "alignment", "face_rig", "mfa");
        Path audio = audio(exchange);
        HttpRequest.start(exchange, "POST", "/generate-alignment").setBody(MultipartEntityBuilder.create()
                .addBinaryBody("audio", audio.toFile(), WAV, audio.getFileName().toString())
                .addTextBody("transcript", Steps.scene(exchange).narration(), TEXT)
                .build());
    }

    public void aligned(Exchange exchange) {
        JsonNode answer = Json.readResponse("face_rig", exchange.getIn().getBody(String.class));
        JsonNode keyframes = answer.get("keyframes");
        if (keyframes == null || !keyframes.isArray()) {
            throw new MalformedResponseException("face_rig answered /generate-alignment without keyframes");
        }
        exchange.setProperty(PHONEMES, keyframes);
        exchange.setProperty(TOTAL_MS, answer.path("total_duration_ms").asLong(0));
        Steps.finish(exchange);
    }

    public void prepareEmotions(Exchange exchange) {
        Steps.begin(exchange, "emotions", "face_rig", null);
        Scene scene = Steps.scene(exchange);
        long total = exchange.getProperty(TOTAL_MS, 0L, Long.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transcript", scene.narration());
        body.put("phoneme_timeline", exchange.getProperty(PHONEMES));
        body.put("total_duration_ms", total > 0 ? total : Math.round(scene.duration() * 1000));
        HttpRequest.json(exchange, "POST", "/generate-emotions", Json.write(body));
    }

    public void emotions(Exchange exchange) {
        JsonNode answer = Json.readResponse("face_rig", exchange.getIn().getBody(String.class));
        ArrayNode timeline = TimelineMerger.merge(exchange.getProperty(PHONEMES, JsonNode.class), answer.get("keyframes"));
        exchange.setProperty(TIMELINE, timeline);
        Steps.finish(exchange);
    }

    public void prepareExport(Exchange exchange) {
        Steps.begin(exchange, "export", "face_rig", null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("combined_timeline", exchange.getProperty(TIMELINE));
        body.put("audio_url", "/audio/" + exchange.getProperty(UPLOADED, String.class));
        body.put("format", "mp4");
        body.put("fps", 24);
        HttpRequest.json(exchange, "POST", "/export-video", Json.write(body)).setHeader("Accept", "video/mp4");
    }

    public void storeExport(Exchange exchange) throws IOException {
        Scene scene = Steps.scene(exchange);
        String relative = "face_rig/scene_" + scene.sceneNumber() + ".mp4";
        long written;
        try (InputStream in = exchange.getIn().getBody(InputStream.class)) {
            if (in == null) {
                throw new MalformedResponseException("face_rig answered /export-video with an empty body");
            }
            written = AtomicFiles.write(AtomicFiles.inside(Steps.run(exchange).stagingDir(), Path.of(relative)), in);
        }
        if (written == 0) {
            throw new MalformedResponseException("face_rig answered /export-video with an empty body");
        }
        Steps.sceneResult(exchange).file("face_rig", relative);
        Steps.finish(exchange);
    }

    private static Path audio(Exchange exchange) {
        String relative = Steps.sceneResult(exchange).files().get("audio");
        return Steps.run(exchange).stagingDir().resolve(relative);
    }
}
