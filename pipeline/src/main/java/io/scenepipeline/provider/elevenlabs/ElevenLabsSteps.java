package io.scenepipeline.provider.elevenlabs;

import io.scenepipeline.plan.Scene;
import io.scenepipeline.provider.HttpRequest;
import io.scenepipeline.provider.Prices;
import io.scenepipeline.provider.StepRequests;
import io.scenepipeline.run.Budget;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.MalformedResponseException;
import io.scenepipeline.support.Wav;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * ElevenLabs text-to-speech (docs/providers.md, ElevenLabs): {@code POST /v1/text-to-speech/{voice_id}?output_format=wav_16000}
 * with {@code xi-api-key}; the answer is stored as the scene's 16 kHz mono WAV, which face_rig's aligner needs.
 */
public final class ElevenLabsSteps {

    /** The response header in which ElevenLabs states the account's concurrent requests. */
    static final String MAX_CONCURRENT = "maximum-concurrent-requests";

    private final ElevenLabsSettings settings;
    private final StepJournal journal;
    private final Prices prices;
    private final Budget budget;
    private final IntConsumer accountLimit;

    /** @param accountLimit told the account's concurrency whenever ElevenLabs states it ({@code maximum-concurrent-requests}) */
    public ElevenLabsSteps(ElevenLabsSettings settings, StepJournal journal, Prices prices, Budget budget, IntConsumer accountLimit) {
        this.accountLimit = accountLimit;
        this.prices = prices;
        this.budget = budget;
        this.settings = settings;
        this.journal = journal;
    }

    public void prepare(Exchange exchange) throws IOException {
        Scene scene = Steps.scene(exchange);
        PlanRun run = Steps.run(exchange);
        String voice = StepRequests.voice(scene, run.plan(), settings);
        Map<String, Object> body = StepRequests.speechBody(scene, settings);
        Steps.begin(exchange, "text-to-speech", "elevenlabs", settings.model(), StepRequests.speechKey(scene, run.plan(), settings));
        String target = target(scene);
        if (Steps.reuse(exchange, journal, target).isPresent()) {
            Steps.sceneResult(exchange).file("audio", target);
            return;
        }
        // pipeline.max-cost-per-plan: the call is not made when its price would pass the budget
        budget.allow(run, Steps.current(exchange), prices.elevenlabs(settings.model(), scene.narration().length()));
        // cluster mode: this node still holds the step (it was not handed on while this node stood still)
        journal.checkClaim(Steps.current(exchange).key());
        Message in = HttpRequest.json(exchange, "POST", "/v1/text-to-speech/" + voice, Json.write(body));
        in.setHeader(Exchange.HTTP_QUERY, "output_format=" + settings.outputFormat());
        in.setHeader("Accept", settings.outputFormat().startsWith("wav") ? "audio/wav" : "audio/pcm");
        in.setHeader("xi-api-key", settings.apiKey());
    }

    /** Streams the audio to the scene's WAV (raw PCM gets a WAV header); never holds it whole in memory. */
    public void store(Exchange exchange) throws IOException {
        HttpRequest.forgetCredentials(exchange);
        Scene scene = Steps.scene(exchange);
        String relative = target(scene);
        Path file = AtomicFiles.inside(Steps.run(exchange).stagingDir(), Path.of(relative));
        Path raw = file.resolveSibling("." + file.getFileName() + ".download");
        try {
            try (InputStream in = exchange.getIn().getBody(InputStream.class)) {
                if (in == null || AtomicFiles.write(raw, in) == 0) {
                    throw new MalformedResponseException("ElevenLabs answered text-to-speech with an empty body");
                }
            }
            byte[] head = new byte[12];
            try (InputStream in = Files.newInputStream(raw)) {
                int n = in.readNBytes(head, 0, head.length);
                head = Arrays.copyOf(head, n);
            }
            if (Wav.isWav(head)) {
                AtomicFiles.move(raw, file);
            } else {
                String format = settings.outputFormat();
                if (!format.startsWith("pcm_")) {
                    throw new MalformedResponseException("ElevenLabs answered " + format + " with audio that is not a WAV file");
                }
                try (InputStream pcm = Files.newInputStream(raw)) {
                    AtomicFiles.write(file, new SequenceInputStream(new ByteArrayInputStream(
                            Wav.header(Files.size(raw), Integer.parseInt(format.substring(4)))), pcm));
                }
            }
        } finally {
            Files.deleteIfExists(raw);
        }
        stated(exchange.getIn().getHeader(MAX_CONCURRENT), accountLimit);
        StepRecord step = Steps.current(exchange);
        step.requestId(exchange.getIn().getHeader("request-id", String.class));
        // ElevenLabs bills characters: its character-cost header says how many, else the text's length
        Long billed = exchange.getIn().getHeader("character-cost", Long.class);
        step.costUsd(prices.elevenlabs(settings.model(), billed != null ? billed : scene.narration().length()));
        Steps.sceneResult(exchange).file("audio", relative);
        Steps.complete(exchange, journal, file, null);
    }

    /** A failed call's answer may state the account's concurrency too (a 429 too_many_concurrent_requests does). */
    public static void accountLimit(Throwable failure, IntConsumer accountLimit) {
        HttpOperationFailedException http = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        if (http != null && http.getResponseHeaders() != null) {
            http.getResponseHeaders().forEach((k, v) -> {
                if (MAX_CONCURRENT.equalsIgnoreCase(k)) {
                    stated(v, accountLimit);
                }
            });
        }
    }

    private static void stated(Object value, IntConsumer accountLimit) {
        if (value == null) {
            return;
        }
        try {
            accountLimit.accept(Integer.parseInt(value.toString().trim()));
        } catch (NumberFormatException ignored) {
            // not a number: nothing stated
        }
    }

    private static String target(Scene scene) {
        return "audio/scene_" + scene.sceneNumber() + ".wav";
    }
}
