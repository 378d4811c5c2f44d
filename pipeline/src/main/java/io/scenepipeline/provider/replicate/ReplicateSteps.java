package io.scenepipeline.provider.replicate;

import io.scenepipeline.plan.Scene;
import io.scenepipeline.provider.AccountPace;
import io.scenepipeline.provider.HttpRequest;
import io.scenepipeline.provider.Prices;
import io.scenepipeline.provider.StepRequests;
import io.scenepipeline.run.Budget;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.SceneResult;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import io.scenepipeline.state.PendingPrediction;
import io.scenepipeline.state.StepEntry;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.MalformedResponseException;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Replicate side of the text-to-image and image-to-video steps: what each step asks of which model, reuse from the
 * journal, the create call, and the journal of predictions in flight. Polling ({@link PredictionPolls}), adopting
 * ({@link PredictionAdoption}), canceling ({@link PredictionCancel}) and storing the output ({@link PredictionOutputs})
 * are beside it. The HTTP calls themselves are made by the routes in {@code replicate.camel.yaml}.
 */
public final class ReplicateSteps {

    private static final Logger LOG = Logs.of(ReplicateSteps.class);

    /** The scene image's output URL and when it was made (it expires after an hour): the visual chain keeps it. */
    record ImageOutputUrl(String url, long at) {
    }

    /** Replicate deletes API predictions' data after an hour; stay well inside it. */
    static final Duration RETENTION = Duration.ofMinutes(55);

    private final ReplicateSettings settings;
    private final StepJournal journal;
    private final Prices prices;
    private final Budget budget;
    private final AccountPace creates;
    /** Image creates held open by Replicate right now ({@code Prefer: wait}), by exchange: until when at the latest. */
    private final Map<String, Long> waiting = new ConcurrentHashMap<>();

    public ReplicateSteps(ReplicateSettings settings, StepJournal journal, Prices prices, Budget budget, AccountPace creates) {
        this.prices = prices;
        this.budget = budget;
        this.settings = settings;
        this.journal = journal;
        this.creates = creates;
    }

    /** Begins text-to-image for the scene: model, input, where the image goes; reused when already made. */
    public void textToImage(Exchange exchange) throws IOException {
        Scene scene = Steps.scene(exchange);
        StepRequests.Request request = StepRequests.image(scene, Steps.run(exchange).plan(), settings);
        Steps.begin(exchange, "text-to-image", "replicate", request.model().modelName(), request.key());
        Steps.call(exchange).retryComponent(settings.imageRetryComponent());
        String target = "images/scene_" + scene.sceneNumber() + ".png";
        Optional<StepEntry> done = Steps.reuse(exchange, journal, target);
        if (done.isPresent()) {
            Steps.sceneResult(exchange).file("image", target);
            Steps.call(exchange).keep(new ImageOutputUrl(done.get().outputUrl(), Instant.parse(done.get().finishedAt()).toEpochMilli()));
            return;
        }
        prepare(exchange, request.model(), request.input(), target);
    }

    /** Begins image-to-video: the scene's image goes in as a data URI (small) or as its fresh output URL (large). */
    public void imageToVideo(Exchange exchange) throws IOException {
        Scene scene = Steps.scene(exchange);
        PlanRun run = Steps.run(exchange);
        SceneResult result = run.scene(scene.sceneNumber());
        ReplicateModel model = StepRequests.videoModel(scene, run.plan(), settings);
        Path image = run.stagingDir().resolve(result.files().get("image"));
        ReplicateModel.VideoRequest keyed = StepRequests.video(scene, run.plan(), settings, StepJournal.hash(image));
        Steps.begin(exchange, "image-to-video", "replicate", model.modelName(), StepRequests.videoKey(model, keyed, settings));
        Steps.call(exchange).retryComponent("video");
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
        ImageOutputUrl made = Steps.call(exchange).part(ImageOutputUrl.class);
        boolean fresh = made != null && made.url() != null && System.currentTimeMillis() - made.at() < RETENTION.toMillis();
        if (Files.size(image) <= settings.maxInlineImageBytes() || !fresh) {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(image));
        }
        return made.url();
    }

    /** Sets up the step's prediction; resumes one an earlier run started for the same inputs. */
    private void prepare(Exchange exchange, ReplicateModel model, Map<String, Object> input, String target) {
        PredictionCall call = new PredictionCall(model, input, target);
        call.on(exchange);
        StepRecord step = Steps.current(exchange);
        call.estimateUsd = prices.estimateReplicate(model.modelName(),
                target.startsWith("clips/") ? Steps.sceneResult(exchange).clipSeconds() : 0, settings.videoResolution());
        journal.pending(step.key()).ifPresent(p -> {
            if (p.predictionId() != null && p.createdAt() != null
                    && System.currentTimeMillis() - p.createdAt() < RETENTION.toMillis()) {
                call.started(p.predictionId(), p.createdAt() + settings.predictionTimeoutMs());
                call.resumed = true;
                // the run that created it counts it: this one, on a node that died or before a crash, or an earlier one
                call.paidByAnotherRun = p.runId() == null || !p.runId().equals(Steps.run(exchange).runId());
                step.predictionId(p.predictionId());
                step.costUsd(call.paidByAnotherRun ? 0 : call.estimateUsd);
                LOG.info("{} Resuming prediction {} started by an earlier run", Steps.context(exchange), p.predictionId());
            } else if (p.predictionId() == null && System.currentTimeMillis() - p.createStartedAt() < RETENTION.toMillis()) {
                call.unansweredSince = p.createStartedAt();
            }
        });
    }

    /** Does the unit need a prediction (none yet, or the last one failed)? */
    public boolean needsCreate(Exchange exchange) {
        return PredictionCall.of(exchange).needsCreate();
    }

    /** Was a create sent without a usable answer (it may have made a prediction)? */
    public boolean mayHaveCreated(Exchange exchange) {
        return PredictionCall.of(exchange).mayHaveCreated();
    }

    public void prepareCreate(Exchange exchange) throws IOException {
        PredictionCall call = PredictionCall.of(exchange);
        ReplicateModel model = call.model;
        // canceled by the operator while the create waited for its turn: it is not sent
        Steps.run(exchange).checkCanceled();
        // pipeline.max-cost-per-plan: the create is not sent when its price would pass the budget
        budget.allow(Steps.run(exchange), Steps.current(exchange), call.estimateUsd);
        // cluster mode: this node still holds the step (it was not handed on while this node stood still)
        journal.checkClaim(Steps.current(exchange).key());
        long since = System.currentTimeMillis();
        call.unansweredSince = since;
        journal.pending(PendingPrediction.sending(Steps.current(exchange).key(), since, Steps.run(exchange).runId()));
        Map<String, Object> body = model.createBody(call.input);
        if (settings.webhooks().url() != null) {
            // Replicate tells us when it is done: the step is woken by the webhook instead of polling
            body.put("webhook", settings.webhooks().url().toString());
            body.put("webhook_events_filter", java.util.List.of("completed"));
        }
        Message in = authorize(HttpRequest.json(exchange, "POST", model.createPath(), Json.write(body)));
        // Replicate ends the prediction itself past this, should the pipeline die before it could cancel it
        in.setHeader("Cancel-After", Math.max(1, (settings.predictionTimeoutMs() + 999) / 1000) + "s");
        long wait = settings.limits().preferWait().toSeconds();
        if (model.kind() == ReplicateModel.Kind.IMAGE && wait > 0 && holdOpen(exchange.getExchangeId(), since + wait * 1000 + 65_000)) {
            // an image is usually done within the wait: the answer then carries it, and no poll is needed
            in.setHeader("Prefer", "wait=" + wait);
        }
    }

    /**
     * One more create held open, while fewer than {@code replicate.max-waiting-creates} are (one whose answer never
     * came to {@link #created} stops counting a minute after its wait, its turn at the pace included).
     */
    private boolean holdOpen(String exchangeId, long until) {
        long now = System.currentTimeMillis();
        waiting.values().removeIf(at -> at < now);
        synchronized (waiting) {
            if (waiting.size() >= settings.limits().waitingCreates()) {
                return false;
            }
            waiting.put(exchangeId, until);
            return true;
        }
    }

    /**
     * The create's answer. The create endpoint does not throw on an error status, so that the answer is read here
     * first: a 4xx made no prediction (no need to look for one before creating again), and a 429 slows the account's
     * pace of creates; then it fails as camel-http would have.
     */
    public void created(Exchange exchange) throws IOException, HttpOperationFailedException {
        HttpRequest.forgetCredentials(exchange);
        HttpRequest.readAnswer(exchange);
        waiting.remove(exchange.getExchangeId());
        PredictionCall call = PredictionCall.of(exchange);
        int status = HttpRequest.status(exchange);
        if (status < 200 || status > 299) {
            HttpOperationFailedException failure = HttpRequest.failure(exchange, settings.baseUrl() + call.model.createPath());
            if (status >= 400 && status < 500) {
                call.unansweredSince = null;
                journal.forgetPending(Steps.current(exchange).key());
            }
            ReplicateThrottle.tell(creates, failure);
            throw failure;
        }
        JsonNode prediction = Json.readResponse("Replicate", exchange.getIn().getBody(String.class));
        String id = text(prediction, "id");
        if (id == null) {
            throw new MalformedResponseException("Replicate answered the create call without a prediction id");
        }
        started(exchange, id, prediction);
        JsonNode output = prediction.get("output");
        if (exchange.getIn().getHeader("Preference-Applied") != null && "processing".equals(text(prediction, "status"))
                && output != null && !output.isNull() && !output.isEmpty()) {
            // a held create answers with the files as soon as they are all there, the status possibly still
            // "processing" (docs/providers.md): the image is done, as the official clients take it
            call.status = "succeeded";
        }
        if (!call.terminal() && Steps.run(exchange).canceled()) {
            // the operator canceled the plan while the create was held open: canceled at once, not polled first
            call.timedOut = true;
        }
    }

    /** A prediction now stands for the step (created, or adopted): journaled, so that a later run resumes it. */
    void started(Exchange exchange, String id, JsonNode prediction) throws IOException {
        PredictionCall call = PredictionCall.of(exchange);
        long now = System.currentTimeMillis();
        Long since = call.unansweredSince;
        call.started(id, now + settings.predictionTimeoutMs());
        StepRecord step = Steps.current(exchange);
        step.predictionId(id);
        // billed from now on, whatever becomes of this run: counted at its estimate until its real price is known
        call.paidByAnotherRun = false;
        step.costUsd(call.estimateUsd);
        journal.pending(new PendingPrediction(step.key(), since == null ? now : since, id, now, Steps.run(exchange).runId()));
        accept(call, prediction);
    }

    /** Replicate described the prediction (a create's, a poll's or a webhook's answer). */
    static void accept(PredictionCall call, JsonNode prediction) {
        String status = text(prediction, "status");
        if (status == null) {
            throw new MalformedResponseException("Replicate answered without a prediction status");
        }
        call.status = status;
        call.prediction = prediction;
    }

    /** The step's prediction is done with: the next attempt creates a new one. */
    void forget(Exchange exchange) throws IOException {
        PredictionCall.of(exchange).forget();
        // a prediction that failed or was canceled made no output: a model billed by its output does not bill it
        Steps.current(exchange).uncharged();
        journal.forgetPending(Steps.current(exchange).key());
    }

    Message authorize(Message in) {
        in.setHeader("Authorization", "Bearer " + settings.token());
        return in;
    }

    static long epochMillis(String timestamp) {
        if (timestamp == null) {
            return 0;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
