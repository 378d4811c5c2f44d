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
import io.scenepipeline.support.Json;
import io.scenepipeline.support.MalformedResponseException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * The Replicate side of the text-to-image and image-to-video steps: request bodies, reading predictions, and
 * storing outputs. The HTTP calls themselves are made by the routes in {@code replicate.camel.yaml}.
 */
public final class ReplicateSteps {

    static final String MODEL = "replicateModel";
    static final String CREATE_BODY = "replicateCreateBody";
    static final String PREDICTION_ID = "predictionId";
    static final String STATUS = "predictionStatus";
    static final String PREDICTION = "prediction";
    static final String DEADLINE = "predictionDeadline";
    static final String OUTPUT = "predictionOutput";
    static final String TARGET = "outputTarget";
    /** Exchange property: the retry component whose route configuration runs the prediction. */
    static final String RETRY_COMPONENT = "retryComponent";
    /** Exchange property: the URL of the scene's image output, for video models when the image is too big to inline. */
    static final String IMAGE_URL = "imageOutputUrl";

    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "aborted");

    private final PipelineSettings settings;

    public ReplicateSteps(PipelineSettings settings) {
        this.settings = settings;
    }

    /** Begins text-to-image for the scene: model, input, where the image goes. */
    public void textToImage(Exchange exchange) {
        Scene scene = Steps.scene(exchange);
        ScenePlan plan = Steps.run(exchange).plan();
        ReplicateModel model = pick(scene.imageModel(), plan.imageModel(), settings.imageModel());
        Steps.begin(exchange, "text-to-image", "replicate", model.modelName());
        exchange.setProperty(RETRY_COMPONENT, settings.imageRetryComponent());
        prepare(exchange, model, model.createBody(model.imageInput(scene.visualDescription())),
                "images/scene_" + scene.sceneNumber() + ".png");
    }

    /** Begins image-to-video: the scene's image goes in as a data URI (small) or as its output URL (large). */
    public void imageToVideo(Exchange exchange) throws IOException {
        Scene scene = Steps.scene(exchange);
        PlanRun run = Steps.run(exchange);
        SceneResult result = run.scene(scene.sceneNumber());
        ReplicateModel model = pick(scene.videoModel(), run.plan().videoModel(), settings.videoModel());
        Steps.begin(exchange, "image-to-video", "replicate", model.modelName());
        exchange.setProperty(RETRY_COMPONENT, "video");
        Path image = run.stagingDir().resolve(result.files().get("image"));
        String imageUrl = exchange.getProperty(IMAGE_URL, String.class);
        String imageRef = Files.size(image) <= settings.maxInlineImageBytes() || imageUrl == null
                ? "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(image))
                : imageUrl;
        ReplicateModel.VideoRequest request = model.videoInput(scene.visualDescription(), imageRef, scene.duration(),
                settings.videoResolution());
        result.clipDuration(request.used(), request.clamped(), model.modelName());
        prepare(exchange, model, model.createBody(request.input()), "clips/scene_" + scene.sceneNumber() + ".mp4");
    }

    private void prepare(Exchange exchange, ReplicateModel model, Object body, String target) {
        exchange.setProperty(MODEL, model);
        exchange.setProperty(CREATE_BODY, Json.write(body));
        exchange.setProperty(TARGET, target);
        exchange.removeProperty(PREDICTION_ID);
        exchange.removeProperty(STATUS);
        exchange.removeProperty(OUTPUT);
    }

    /** Does the unit need a new prediction (none yet, or the last one failed)? */
    public boolean needsCreate(Exchange exchange) {
        return exchange.getProperty(PREDICTION_ID) == null;
    }

    public void prepareCreate(Exchange exchange) {
        ReplicateModel model = exchange.getProperty(MODEL, ReplicateModel.class);
        authorize(HttpRequest.json(exchange, "POST", model.createPath(), exchange.getProperty(CREATE_BODY, String.class)));
    }

    public void created(Exchange exchange) {
        JsonNode prediction = Json.readResponse("Replicate", exchange.getIn().getBody(String.class));
        String id = text(prediction, "id");
        if (id == null) {
            throw new MalformedResponseException("Replicate answered the create call without a prediction id");
        }
        exchange.setProperty(PREDICTION_ID, id);
        exchange.setProperty(DEADLINE, System.currentTimeMillis() + settings.predictionTimeout());
        StepRecord step = Steps.current(exchange);
        if (step != null) {
            step.predictionId(id);
        }
        accept(exchange, prediction);
    }

    public void preparePoll(Exchange exchange) {
        authorize(HttpRequest.start(exchange, "GET", "/v1/predictions/" + exchange.getProperty(PREDICTION_ID, String.class)));
    }

    public void polled(Exchange exchange) {
        accept(exchange, Json.readResponse("Replicate", exchange.getIn().getBody(String.class)));
        if (!terminal(exchange) && System.currentTimeMillis() > exchange.getProperty(DEADLINE, Long.class)) {
            throw new PredictionTimeoutException("Prediction " + exchange.getProperty(PREDICTION_ID) + " did not finish within "
                    + settings.predictionTimeout() / 1000 + " s (replicate.prediction-timeout)");
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
    public void outcome(Exchange exchange) {
        JsonNode prediction = exchange.getProperty(PREDICTION, JsonNode.class);
        String id = exchange.getProperty(PREDICTION_ID, String.class);
        String status = exchange.getProperty(STATUS, String.class);
        if (!"succeeded".equals(status)) {
            String error = text(prediction, "error");
            boolean transientFailure = "failed".equals(status) && isTransient(error);
            exchange.removeProperty(PREDICTION_ID);
            throw new PredictionFailedException(id, status, error, transientFailure);
        }
        JsonNode output = prediction.get("output");
        if (output != null && output.isArray() && !output.isEmpty()) {
            output = output.get(0);
        }
        if (output == null || !output.isTextual() || output.asText().isBlank()) {
            throw new MalformedResponseException("Prediction " + id + " succeeded without an output file"
                    + (prediction.path("data_removed").asBoolean() ? " (its data was already removed)" : ""));
        }
        exchange.setProperty(OUTPUT, output.asText());
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
        URI uri = URI.create(url);
        Message in = HttpRequest.start(exchange, "GET", null);
        in.setHeader(Exchange.HTTP_URI, url);
        if (sendsToken(uri)) {
            authorize(in);
        }
    }

    /** Streams the downloaded body to the step's file; a body shorter than announced is a truncated download. */
    public void storeDownload(Exchange exchange) throws IOException {
        Path target = target(exchange);
        Long announced = exchange.getIn().getHeader("Content-Length", Long.class);
        long written;
        try (InputStream in = exchange.getIn().getMandatoryBody(InputStream.class)) {
            written = AtomicFiles.write(target, in);
        } catch (org.apache.camel.InvalidPayloadException e) {
            throw new MalformedResponseException("Replicate output download answered with no body");
        }
        if (announced != null && announced != written) {
            Files.deleteIfExists(target);
            throw new TruncatedDownloadException("Download of " + exchange.getProperty(OUTPUT) + " ended after "
                    + written + " of " + announced + " bytes");
        }
        stored(exchange);
    }

    public void storeDataUri(Exchange exchange) throws IOException {
        String uri = exchange.getProperty(OUTPUT, String.class);
        int comma = uri.indexOf(',');
        if (comma < 0 || !uri.substring(0, comma).endsWith(";base64")) {
            throw new MalformedResponseException("Replicate output is a data: URI that is not base64");
        }
        AtomicFiles.write(target(exchange), Base64.getDecoder().decode(uri.substring(comma + 1)));
        stored(exchange);
    }

    private void stored(Exchange exchange) {
        String target = exchange.getProperty(TARGET, String.class);
        SceneResult result = Steps.sceneResult(exchange);
        if (target.startsWith("images/")) {
            result.file("image", target);
            String output = exchange.getProperty(OUTPUT, String.class);
            exchange.setProperty(IMAGE_URL, output.startsWith("data:") ? null : output);
        } else {
            result.file("clip", target);
        }
        Steps.finish(exchange);
    }

    private Path target(Exchange exchange) {
        return AtomicFiles.inside(Steps.run(exchange).stagingDir(), Path.of(exchange.getProperty(TARGET, String.class)));
    }

    private boolean sendsToken(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return host.equals(settings.replicateBaseUrl().getHost()) || host.equals("replicate.delivery")
                || host.endsWith(".replicate.delivery");
    }

    private void authorize(Message in) {
        in.setHeader("Authorization", "Bearer " + settings.replicateToken());
    }

    private static ReplicateModel pick(String sceneLevel, String planLevel, ReplicateModel configured) {
        String name = sceneLevel != null ? sceneLevel : planLevel;
        return name == null ? configured : ReplicateModel.byName(name).orElse(configured);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
