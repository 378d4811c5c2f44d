package io.scenepipeline.provider.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.config.PipelineSettings;
import io.scenepipeline.output.AtomicFiles;
import io.scenepipeline.plan.Scene;
import io.scenepipeline.plan.ScenePlan;
import io.scenepipeline.provider.HttpRequest;
import io.scenepipeline.retry.TruncatedDownloadException;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.SceneResult;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import io.scenepipeline.state.PendingPrediction;
import io.scenepipeline.state.StepEntry;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.state.StepKeys;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.MalformedResponseException;
import io.scenepipeline.support.SafeText;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Replicate side of the text-to-image and image-to-video steps: request bodies, reading predictions, adopting
 * a prediction an unanswered create may have made, storing outputs, and the journal of predictions in flight.
 * The HTTP calls themselves are made by the routes in {@code replicate.camel.yaml}.
 */
public final class ReplicateSteps {

    private static final Logger LOG = LoggerFactory.getLogger("scene-pipeline");

    static final String MODEL = "replicateModel";
    static final String INPUT = "replicateInput";
    static final String PREDICTION_ID = "predictionId";
    static final String STATUS = "predictionStatus";
    static final String PREDICTION = "prediction";
    static final String DEADLINE = "predictionDeadline";
    static final String OUTPUT = "predictionOutput";
    static final String TARGET = "outputTarget";
    /** Epoch ms of a create request that got no usable answer: before creating again, look for what it made. */
    static final String CREATE_UNANSWERED_SINCE = "createUnansweredSince";
    static final String LIST_NEXT = "predictionListNext";
    /** The prediction being polled was journaled by an earlier run (Replicate may no longer know it). */
    static final String RESUMED = "predictionResumed";
    /** The prediction ran past {@code replicate.prediction-timeout}: polling stops and it is canceled. */
    static final String TIMED_OUT = "predictionTimedOut";
    /** Exchange property: the retry component whose route configuration runs the prediction. */
    static final String RETRY_COMPONENT = "retryComponent";
    /** Exchange properties: the scene image's output URL and when it was made (it expires after an hour). */
    static final String IMAGE_URL = "imageOutputUrl";
    static final String IMAGE_URL_AT = "imageOutputUrlAt";

    /** Replicate deletes API predictions' data after an hour; stay well inside it. */
    static final Duration RETENTION = Duration.ofMinutes(55);
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "aborted");
    private static final Set<String> FAILED = Set.of("failed", "canceled", "aborted");
    private static final long CLOCK_SKEW_MS = 30_000;

    private final PipelineSettings settings;
    private final StepJournal journal;
    private final DownloadPolicy downloads;

    public ReplicateSteps(PipelineSettings settings, StepJournal journal) {
        this.settings = settings;
        this.journal = journal;
        this.downloads = new DownloadPolicy(settings.replicateBaseUrl(), settings.downloadHosts());
    }

    /** Begins text-to-image for the scene: model, input, where the image goes; reused when already made. */
    public void textToImage(Exchange exchange) throws IOException {
        Scene scene = Steps.scene(exchange);
        ScenePlan plan = Steps.run(exchange).plan();
        ReplicateModel model = pick(scene.imageModel(), plan.imageModel(), settings.imageModel());
        Map<String, Object> input = model.imageInput(scene.visualDescription());
        String key = StepKeys.of("text-to-image", keyInputs(model, input));
        Steps.begin(exchange, "text-to-image", "replicate", model.modelName(), key);
        exchange.setProperty(RETRY_COMPONENT, settings.imageRetryComponent());
        String target = "images/scene_" + scene.sceneNumber() + ".png";
        Optional<StepEntry> done = Steps.reuse(exchange, journal, target);
        if (done.isPresent()) {
            Steps.sceneResult(exchange).file("image", target);
            exchange.setProperty(IMAGE_URL, done.get().outputUrl());
            exchange.setProperty(IMAGE_URL_AT, Instant.parse(done.get().finishedAt()).toEpochMilli());
            return;
        }
        prepare(exchange, model, input, target);
    }

    /** Begins image-to-video: the scene's image goes in as a data URI (small) or as its fresh output URL (large). */
    public void imageToVideo(Exchange exchange) throws IOException {
        Scene scene = Steps.scene(exchange);
        PlanRun run = Steps.run(exchange);
        SceneResult result = run.scene(scene.sceneNumber());
        ReplicateModel model = pick(scene.videoModel(), run.plan().videoModel(), settings.videoModel());
        Path image = run.stagingDir().resolve(result.files().get("image"));
        ReplicateModel.VideoRequest keyed = model.videoInput(scene.visualDescription(),
                StepKeys.fileRef(StepJournal.hash(image)), scene.duration(), settings.videoResolution());
        String key = StepKeys.of("image-to-video", keyInputs(model, keyed.input()));
        Steps.begin(exchange, "image-to-video", "replicate", model.modelName(), key);
        exchange.setProperty(RETRY_COMPONENT, "video");
        result.clipDuration(keyed.used(), keyed.clamped(), model.modelName());
        String target = "clips/scene_" + scene.sceneNumber() + ".mp4";
        if (Steps.reuse(exchange, journal, target).isPresent()) {
            result.file("clip", target);
            return;
        }
        ReplicateModel.VideoRequest request = model.videoInput(scene.visualDescription(), imageRef(exchange, image),
                scene.duration(), settings.videoResolution());
        prepare(exchange, model, request.input(), target);
    }

    private String imageRef(Exchange exchange, Path image) throws IOException {
        String url = exchange.getProperty(IMAGE_URL, String.class);
        Long at = exchange.getProperty(IMAGE_URL_AT, Long.class);
        boolean fresh = url != null && at != null && System.currentTimeMillis() - at < RETENTION.toMillis();
        if (Files.size(image) <= settings.maxInlineImageBytes() || !fresh) {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(image));
        }
        return url;
    }

    private static Map<String, Object> keyInputs(ReplicateModel model, Map<String, Object> input) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("model", model.modelName());
        k.put("version", model.version());
        k.put("input", input);
        return k;
    }

    /** Sets up the step's prediction; resumes one an earlier run started for the same inputs. */
    private void prepare(Exchange exchange, ReplicateModel model, Map<String, Object> input, String target) {
        exchange.setProperty(MODEL, model);
        exchange.setProperty(INPUT, input);
        exchange.setProperty(TARGET, target);
        exchange.removeProperty(PREDICTION_ID);
        exchange.removeProperty(STATUS);
        exchange.removeProperty(OUTPUT);
        exchange.removeProperty(CREATE_UNANSWERED_SINCE);
        exchange.removeProperty(RESUMED);
        exchange.removeProperty(TIMED_OUT);
        StepRecord step = Steps.current(exchange);
        journal.pending(step.key()).ifPresent(p -> {
            if (p.predictionId() != null && p.createdAt() != null
                    && System.currentTimeMillis() - p.createdAt() < RETENTION.toMillis()) {
                exchange.setProperty(PREDICTION_ID, p.predictionId());
                exchange.setProperty(RESUMED, true);
                exchange.setProperty(DEADLINE, p.createdAt() + settings.predictionTimeout());
                step.predictionId(p.predictionId());
                LOG.info("{} Resuming prediction {} started by an earlier run", Steps.context(exchange), p.predictionId());
            } else if (p.predictionId() == null && System.currentTimeMillis() - p.createStartedAt() < RETENTION.toMillis()) {
                exchange.setProperty(CREATE_UNANSWERED_SINCE, p.createStartedAt());
            }
        });
    }

    /** Does the unit need a prediction (none yet, or the last one failed)? */
    public boolean needsCreate(Exchange exchange) {
        return exchange.getProperty(PREDICTION_ID) == null;
    }

    /** Was a create sent without a usable answer (it may have made a prediction)? */
    public boolean mayHaveCreated(Exchange exchange) {
        return needsCreate(exchange) && exchange.getProperty(CREATE_UNANSWERED_SINCE) != null;
    }

    public void prepareCreate(Exchange exchange) throws IOException {
        ReplicateModel model = exchange.getProperty(MODEL, ReplicateModel.class);
        long since = System.currentTimeMillis();
        exchange.setProperty(CREATE_UNANSWERED_SINCE, since);
        journal.pending(new PendingPrediction(Steps.current(exchange).key(), since, null, null));
        @SuppressWarnings("unchecked")
        Map<String, Object> input = exchange.getProperty(INPUT, Map.class);
        Message in = authorize(HttpRequest.json(exchange, "POST", model.createPath(), Json.write(model.createBody(input))));
        // Replicate ends the prediction itself past this, should the pipeline die before it could cancel it
        in.setHeader("Cancel-After", Math.max(1, (settings.predictionTimeout() + 999) / 1000) + "s");
    }

    public void created(Exchange exchange) throws IOException {
        HttpRequest.forgetCredentials(exchange);
        JsonNode prediction = Json.readResponse("Replicate", exchange.getIn().getBody(String.class));
        String id = text(prediction, "id");
        if (id == null) {
            throw new MalformedResponseException("Replicate answered the create call without a prediction id");
        }
        started(exchange, id, prediction);
    }

    private void started(Exchange exchange, String id, JsonNode prediction) throws IOException {
        long now = System.currentTimeMillis();
        Long since = exchange.getProperty(CREATE_UNANSWERED_SINCE, Long.class);
        exchange.removeProperty(CREATE_UNANSWERED_SINCE);
        exchange.setProperty(PREDICTION_ID, id);
        exchange.setProperty(DEADLINE, now + settings.predictionTimeout());
        StepRecord step = Steps.current(exchange);
        step.predictionId(id);
        journal.pending(new PendingPrediction(step.key(), since == null ? now : since, id, now));
        accept(exchange, prediction);
    }

    /** First page of {@code GET /v1/predictions} (newest first). */
    public void prepareList(Exchange exchange) {
        Message in = authorize(HttpRequest.start(exchange, "GET", "/v1/predictions"));
        String next = exchange.getProperty(LIST_NEXT, String.class);
        if (next != null) {
            in.setHeader(Exchange.HTTP_URI, next);
            in.removeHeader(Exchange.HTTP_PATH);
        }
    }

    /**
     * Looks through a page of the prediction list for one the unanswered create made: same model, identical input,
     * created after that create began, not failed. Adopts it, or asks for the next page while the list is still
     * newer than the create.
     */
    public void listed(Exchange exchange) throws IOException {
        HttpRequest.forgetCredentials(exchange);
        JsonNode page = Json.readResponse("Replicate", exchange.getIn().getBody(String.class));
        long since = exchange.getProperty(CREATE_UNANSWERED_SINCE, Long.class) - CLOCK_SKEW_MS;
        ReplicateModel model = exchange.getProperty(MODEL, ReplicateModel.class);
        JsonNode input = Json.MAPPER.valueToTree(exchange.getProperty(INPUT));
        exchange.removeProperty(LIST_NEXT);
        boolean older = false;
        for (JsonNode p : page.path("results")) {
            long created = epochMillis(text(p, "created_at"));
            if (created < since) {
                older = true;
                break;
            }
            String status = text(p, "status");
            String m = text(p, "model");
            boolean sameModel = m == null || m.equals(model.modelName()) || (model.version() != null && model.version().equals(text(p, "version")));
            if (sameModel && input.equals(p.get("input")) && status != null && !FAILED.contains(status)) {
                String id = text(p, "id");
                LOG.warn("{} Adopting prediction {}: the create that got no answer had made it", Steps.context(exchange), id);
                started(exchange, id, p);
                exchange.setProperty(DEADLINE, created + settings.predictionTimeout());
                return;
            }
        }
        String next = text(page, "next");
        if (!older && next != null) {
            exchange.setProperty(LIST_NEXT, next);
        } else {
            exchange.removeProperty(CREATE_UNANSWERED_SINCE);
        }
    }

    public void preparePoll(Exchange exchange) {
        authorize(HttpRequest.start(exchange, "GET", "/v1/predictions/" + exchange.getProperty(PREDICTION_ID, String.class)));
    }

    /**
     * Reads a poll answer. The poll endpoint does not throw on an error status, so that a resumed prediction Replicate
     * no longer knows (404) is forgotten and created anew; every other error status is raised as camel-http would.
     */
    public void polled(Exchange exchange) throws IOException, org.apache.camel.http.base.HttpOperationFailedException {
        HttpRequest.forgetCredentials(exchange);
        Message in = exchange.getIn();
        int code = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        if (code < 200 || code > 299) {
            String body = in.getBody(String.class);
            String id = exchange.getProperty(PREDICTION_ID, String.class);
            if (code == 404 && exchange.getProperty(RESUMED, false, Boolean.class)) {
                forget(exchange);
                exchange.removeProperty(RESUMED);
                throw new PredictionFailedException(id, "unknown", "Replicate no longer knows this prediction from an earlier run", true);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            in.getHeaders().forEach((k, v) -> {
                if (!k.startsWith("Camel") && v != null) {
                    headers.put(k, v.toString());
                }
            });
            throw new org.apache.camel.http.base.HttpOperationFailedException(settings.replicateBaseUrl() + "/v1/predictions/" + id,
                    code, in.getHeader(Exchange.HTTP_RESPONSE_TEXT, "", String.class), null, headers, body);
        }
        accept(exchange, Json.readResponse("Replicate", in.getBody(String.class)));
        if (!terminal(exchange) && System.currentTimeMillis() > exchange.getProperty(DEADLINE, Long.class)) {
            // given up: the route cancels it (PredictionCancel), so it does not run on, billed, for no one
            exchange.setProperty(TIMED_OUT, true);
        }
    }

    public boolean terminal(Exchange exchange) {
        return TERMINAL.contains(exchange.getProperty(STATUS, "", String.class));
    }

    private void accept(Exchange exchange, JsonNode prediction) {
        String status = text(prediction, "status");
        if (status == null) {
            throw new MalformedResponseException("Replicate answered without a prediction status");
        }
        exchange.setProperty(STATUS, status);
        exchange.setProperty(PREDICTION, prediction);
    }

    /** After polling ends: the output reference, or the prediction's failure (a transient one forgets the id). */
    public void outcome(Exchange exchange) throws IOException {
        JsonNode prediction = exchange.getProperty(PREDICTION, JsonNode.class);
        String id = exchange.getProperty(PREDICTION_ID, String.class);
        String status = exchange.getProperty(STATUS, String.class);
        if (!"succeeded".equals(status)) {
            String error = SafeText.cap(text(prediction, "error"), SafeText.MAX_CHARS / 2);
            boolean transientFailure = "failed".equals(status) && isTransient(error);
            forget(exchange);
            throw new PredictionFailedException(id, status, error, transientFailure);
        }
        JsonNode output = prediction.get("output");
        if (output != null && output.isArray() && !output.isEmpty()) {
            output = output.get(0);
        }
        if (output == null || !output.isTextual() || output.asText().isBlank()) {
            if (prediction.path("data_removed").asBoolean()) {
                forget(exchange);
                throw new PredictionFailedException(id, "succeeded", "its output was already removed (older than an hour)", true);
            }
            throw new MalformedResponseException("Prediction " + id + " succeeded without an output file");
        }
        exchange.setProperty(OUTPUT, output.asText());
    }

    void forget(Exchange exchange) throws IOException {
        exchange.removeProperty(PREDICTION_ID);
        journal.forgetPending(Steps.current(exchange).key());
    }

    boolean isTransient(String error) {
        if (error == null) {
            return false;
        }
        String lower = error.toLowerCase(Locale.ROOT);
        return settings.transientErrors().stream().anyMatch(t -> lower.contains(t.toLowerCase(Locale.ROOT)));
    }

    public boolean outputIsDataUri(Exchange exchange) {
        return exchange.getProperty(OUTPUT, String.class).startsWith("data:");
    }

    public void prepareDownload(Exchange exchange) {
        String url = exchange.getProperty(OUTPUT, String.class);
        URI uri = downloads.check(url);
        Message in = HttpRequest.start(exchange, "GET", null);
        in.setHeader(Exchange.HTTP_URI, url);
        if (sendsToken(uri)) {
            authorize(in);
        }
    }

    /**
     * Streams the downloaded body to the step's file; a body shorter than announced is a truncated download, one
     * larger than {@code replicate.max-download-bytes} is refused.
     */
    public void storeDownload(Exchange exchange) throws IOException {
        HttpRequest.forgetCredentials(exchange);
        Path target = target(exchange);
        Long announced = exchange.getIn().getHeader("Content-Length", Long.class);
        long max = settings.limits().maxDownloadBytes();
        if (announced != null && announced > max) {
            throw new ForbiddenDownloadException("Refusing the output of " + announced + " bytes: more than replicate.max-download-bytes (" + max + ")");
        }
        long written;
        try (InputStream in = exchange.getIn().getMandatoryBody(InputStream.class)) {
            written = AtomicFiles.write(target, new LimitedInputStream(in, max));
        } catch (InvalidPayloadException e) {
            throw new MalformedResponseException("Replicate output download answered with no body");
        }
        if (announced != null && announced != written) {
            Files.deleteIfExists(target);
            throw new TruncatedDownloadException("Download of " + exchange.getProperty(OUTPUT) + " ended after "
                    + written + " of " + announced + " bytes");
        }
        stored(exchange, target);
    }

    public void storeDataUri(Exchange exchange) throws IOException {
        String uri = exchange.getProperty(OUTPUT, String.class);
        int comma = uri.indexOf(',');
        if (comma < 0 || !uri.substring(0, comma).endsWith(";base64")) {
            throw new MalformedResponseException("Replicate output is a data: URI that is not base64");
        }
        long max = settings.limits().maxDataUriBytes();
        if ((uri.length() - comma - 1) / 4L * 3 > max) {
            throw new ForbiddenDownloadException("Refusing a data: URI output of about " + (uri.length() - comma - 1) / 4L * 3
                    + " bytes: more than pipeline.max-data-uri-bytes (" + max + ")");
        }
        Path target = target(exchange);
        AtomicFiles.write(target, Base64.getDecoder().decode(uri.substring(comma + 1)));
        stored(exchange, target);
    }

    private void stored(Exchange exchange, Path file) throws IOException {
        String target = exchange.getProperty(TARGET, String.class);
        String output = exchange.getProperty(OUTPUT, String.class);
        String url = output.startsWith("data:") ? null : output;
        SceneResult result = Steps.sceneResult(exchange);
        if (target.startsWith("images/")) {
            result.file("image", target);
            exchange.setProperty(IMAGE_URL, url);
            exchange.setProperty(IMAGE_URL_AT, System.currentTimeMillis());
        } else {
            result.file("clip", target);
        }
        Steps.complete(exchange, journal, file, url);
    }

    private Path target(Exchange exchange) {
        return AtomicFiles.inside(Steps.run(exchange).stagingDir(), Path.of(exchange.getProperty(TARGET, String.class)));
    }

    private boolean sendsToken(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return host.equals(settings.replicateBaseUrl().getHost()) || host.equals("replicate.delivery")
                || host.endsWith(".replicate.delivery");
    }

    Message authorize(Message in) {
        in.setHeader("Authorization", "Bearer " + settings.replicateToken());
        return in;
    }

    private static ReplicateModel pick(String sceneLevel, String planLevel, ReplicateModel configured) {
        String name = sceneLevel != null ? sceneLevel : planLevel;
        return name == null ? configured : ReplicateModel.byName(name).orElse(configured);
    }

    private static long epochMillis(String timestamp) {
        if (timestamp == null) {
            return 0;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
