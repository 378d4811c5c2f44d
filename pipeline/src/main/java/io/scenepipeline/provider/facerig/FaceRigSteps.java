package io.scenepipeline.provider.facerig;

import io.scenepipeline.plan.Scene;
import io.scenepipeline.provider.HeldServers;
import io.scenepipeline.provider.HttpRequest;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import io.scenepipeline.state.StepEntry;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.state.StepKeys;
import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.MalformedResponseException;
import io.scenepipeline.support.Wav;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The face_rig steps of a scene (docs/providers.md): forced alignment, emotions, the original client's timeline merge,
 * and the video export, preceded by the upload of the narration it plays. Every call goes to the scene's server (the
 * {@link #POOL} pool's server the chain holds); alignment, emotions and export are journaled; the upload places a
 * file on that server for the export only, so upload and export are one retry unit, and a server that lost the audio
 * gets it again before the export is tried again.
 */
public final class FaceRigSteps {

    /** The pool of face_rig servers ({@link io.scenepipeline.provider.ServerSlots}): a scene holds one for all its calls. */
    public static final String POOL = "face_rig";
    private static final Logger LOG = Logs.of(FaceRigSteps.class);
    private static final ContentType WAV = ContentType.create("audio/wav");
    private static final ContentType TEXT = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);

    private final StepJournal journal;
    /** Where the outputs come from, for their keys ({@link io.scenepipeline.provider.Origin}): the simulator's apart. */
    private final String origin;

    public FaceRigSteps(StepJournal journal, String origin) {
        this.journal = journal;
        this.origin = origin;
    }

    /** The multipart form of every face_rig upload: declared UTF-8, which the server decodes its text fields with. */
    private static MultipartEntityBuilder form() {
        return MultipartEntityBuilder.create().setCharset(StandardCharsets.UTF_8)
                .setContentType(ContentType.MULTIPART_FORM_DATA.withCharset(StandardCharsets.UTF_8));
    }

    public void prepareAlignment(Exchange exchange) throws IOException {
        Path audio = audio(exchange);
        String transcript = Steps.scene(exchange).narration();
        Map<String, Object> keyed = new LinkedHashMap<>();
        keyed.put("audio", StepKeys.fileRef(StepJournal.hash(audio)));
        keyed.put("transcript", transcript);
        Steps.begin(exchange, "alignment", "face_rig", "mfa", StepKeys.of("alignment", io.scenepipeline.provider.Origin.keyed(keyed, origin)));
        Optional<StepEntry> done = Steps.reuse(exchange, journal, null);
        if (done.isPresent()) {
            acceptAlignment(exchange, Json.read(new String(journal.read(done.get()), StandardCharsets.UTF_8)));
            return;
        }
        HttpRequest.start(exchange, "POST", "/generate-alignment").setBody(form()
                .addBinaryBody("audio", audio.toFile(), WAV, audio.getFileName().toString())
                .addTextBody("transcript", transcript, TEXT)
                .build());
    }

    public void aligned(Exchange exchange) throws IOException, HttpOperationFailedException {
        FaceRigAnswers.check(exchange, server(exchange));
        String body = exchange.getIn().getBody(String.class);
        acceptAlignment(exchange, Json.readResponse("face_rig", body));
        Steps.complete(exchange, journal, body.getBytes(StandardCharsets.UTF_8), ".json");
    }

    private static void acceptAlignment(Exchange exchange, JsonNode answer) {
        JsonNode keyframes = answer.get("keyframes");
        if (keyframes == null || !keyframes.isArray()) {
            throw new MalformedResponseException("face_rig answered /generate-alignment without keyframes");
        }
        FaceRigSession.of(exchange).phonemes = keyframes;
    }

    /** The original client sends the narration's own length ({@code int(duration * 1000)}), not the alignment's. */
    public void prepareEmotions(Exchange exchange) throws IOException {
        Scene scene = Steps.scene(exchange);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transcript", scene.narration());
        body.put("phoneme_timeline", FaceRigSession.of(exchange).phonemes);
        body.put("total_duration_ms", narrationMillis(audio(exchange)));
        Steps.begin(exchange, "emotions", "face_rig", null, StepKeys.of("emotions", io.scenepipeline.provider.Origin.keyed(new LinkedHashMap<>(body), origin)));
        Optional<StepEntry> done = Steps.reuse(exchange, journal, null);
        if (done.isPresent()) {
            acceptEmotions(exchange, Json.read(new String(journal.read(done.get()), StandardCharsets.UTF_8)));
            return;
        }
        HttpRequest.json(exchange, "POST", "/generate-emotions", Json.write(body));
    }

    private static long narrationMillis(Path wav) throws IOException {
        return (long) (Wav.seconds(wav) * 1000);
    }

    public void emotions(Exchange exchange) throws IOException, HttpOperationFailedException {
        FaceRigAnswers.check(exchange, server(exchange));
        String body = exchange.getIn().getBody(String.class);
        acceptEmotions(exchange, Json.readResponse("face_rig", body));
        Steps.complete(exchange, journal, body.getBytes(StandardCharsets.UTF_8), ".json");
    }

    private static void acceptEmotions(Exchange exchange, JsonNode answer) {
        FaceRigSession session = FaceRigSession.of(exchange);
        session.timeline = TimelineMerger.merge(session.phonemes, answer.get("keyframes"));
    }

    /** Reuses the export when an earlier run made it from the same timeline and audio; else remembers its key. */
    public void checkExport(Exchange exchange) throws IOException {
        Map<String, Object> keyed = exportBody(exchange, StepKeys.fileRef(StepJournal.hash(audio(exchange))));
        String key = StepKeys.of("export", io.scenepipeline.provider.Origin.keyed(keyed, origin));
        FaceRigSession.of(exchange).exportKey = key;
        Steps.call(exchange).reused(false);
        if (journal.find(key).isPresent()) {
            Steps.begin(exchange, "export", "face_rig", null, key);
            if (Steps.reuse(exchange, journal, target(exchange)).isPresent()) {
                Steps.sceneResult(exchange).file("face_rig", target(exchange));
                // the upload that export needed is not needed either: reused with it, so every run counts the same steps
                StepRecord upload = new StepRecord("upload-audio", "face_rig", null, null);
                upload.markReused(null, null);
                upload.finish();
                Steps.sceneResult(exchange).add(upload);
            }
        }
    }

    /** Start of an attempt of the upload-and-export unit. */
    public void startExport(Exchange exchange) {
        FaceRigSession session = FaceRigSession.of(exchange);
        session.exportPending = true;
        session.reuploaded = false;
    }

    /** The scene's server does not have its narration yet (a first try, another server, or the server lost it). */
    public boolean needsUpload(Exchange exchange) {
        return !server(exchange).equals(FaceRigSession.of(exchange).uploadedTo);
    }

    /** True until the export is stored (the unit uploads and exports again once when the server lost the audio). */
    public boolean exportPending(Exchange exchange) {
        return FaceRigSession.of(exchange).exportPending;
    }

    /** The upload and export records, begun once however often the unit runs them (attempts count on them). */
    private static StepRecord step(Exchange exchange, StepRecord earlier, String name, String key) {
        return earlier != null ? Steps.resume(exchange, earlier) : Steps.begin(exchange, name, "face_rig", null, key);
    }

    public void prepareUpload(Exchange exchange) {
        FaceRigSession session = FaceRigSession.of(exchange);
        session.upload = step(exchange, session.upload, "upload-audio", null);
        Path audio = audio(exchange);
        HttpRequest.start(exchange, "POST", "/audio/upload").setBody(form()
                .addBinaryBody("file", audio.toFile(), WAV, audio.getFileName().toString()).build());
    }

    public void uploaded(Exchange exchange) throws HttpOperationFailedException {
        FaceRigAnswers.check(exchange, server(exchange));
        JsonNode answer = Json.readResponse("face_rig", exchange.getIn().getBody(String.class));
        String filename = answer.path("filename").asText("");
        if (filename.isBlank()) {
            throw new MalformedResponseException("face_rig answered /audio/upload without a filename");
        }
        FaceRigSession session = FaceRigSession.of(exchange);
        session.uploaded = filename;
        session.uploadedTo = server(exchange);
        Steps.finish(exchange);
    }

    public void prepareExport(Exchange exchange) {
        FaceRigSession session = FaceRigSession.of(exchange);
        session.export = step(exchange, session.export, "export", session.exportKey);
        Map<String, Object> body = exportBody(exchange, "/audio/" + session.uploaded);
        HttpRequest.json(exchange, "POST", "/export-video", Json.write(body)).setHeader("Accept", "video/mp4");
    }

    private static Map<String, Object> exportBody(Exchange exchange, String audioUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("combined_timeline", FaceRigSession.of(exchange).timeline);
        body.put("audio_url", audioUrl);
        body.put("format", "mp4");
        body.put("fps", 24);
        return body;
    }

    /** Stores the character video; a server that says it has no such audio gets it uploaded again, once per attempt. */
    public void exported(Exchange exchange) throws IOException, HttpOperationFailedException {
        try {
            FaceRigAnswers.check(exchange, server(exchange));
        } catch (FaceRigAnswers.AudioNotFoundException lost) {
            FaceRigSession session = FaceRigSession.of(exchange);
            if (session.reuploaded) {
                throw new MalformedResponseException(lost.getMessage() + ", even right after its upload");
            }
            LOG.warn("{} {}; uploading the narration again", Steps.context(exchange), lost.getMessage());
            session.reuploaded = true;
            session.uploadedTo = null;
            return;
        }
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
        FaceRigSession.of(exchange).exportPending = false;
    }

    private static String server(Exchange exchange) {
        String held = HeldServers.url(exchange, POOL);
        return held == null ? POOL : held;
    }

    private static String target(Exchange exchange) {
        return "face_rig/scene_" + Steps.scene(exchange).sceneNumber() + ".mp4";
    }

    private static Path audio(Exchange exchange) {
        String relative = Steps.sceneResult(exchange).files().get("audio");
        return Steps.run(exchange).stagingDir().resolve(relative);
    }
}
