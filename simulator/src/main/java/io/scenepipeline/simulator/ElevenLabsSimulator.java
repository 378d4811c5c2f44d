package io.scenepipeline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ElevenLabs text-to-speech (docs/providers.md, ElevenLabs): WAV, PCM or (the real default, {@code mp3_44100_128}) MP3
 * audio whose length follows the text. Beyond {@link Faults}: {@code [sim:tts-quota]} answers the legacy 401
 * {@code quota_exceeded}, {@code [sim:tts-concurrent]} the 429 {@code too_many_concurrent_requests}.
 */
final class ElevenLabsSimulator {

    private static final Pattern TTS = Pattern.compile("/v1/text-to-speech/([^/]+)");
    private static final Pattern FORMAT = Pattern.compile("(wav|pcm)_(8000|16000|22050|24000|32000|44100|48000)");
    private static final Pattern MP3 = Pattern.compile("mp3_(22050|24000|44100)_(32|48|64|96|128|192)");

    private final Faults faults;
    private final SimulatorSettings settings;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> spoken = new ConcurrentHashMap<>();

    private final java.util.function.Supplier<SimAccount.Limits> account;

    ElevenLabsSimulator(Faults faults, SimulatorSettings settings, java.util.function.Supplier<SimAccount.Limits> account) {
        this.account = account;
        this.faults = faults;
        this.settings = settings;
    }

    /** Narrations answered with audio (what the account is billed for), by their text without triggers. */
    Map<String, Integer> spokenByText() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        spoken.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    boolean handle(SimRequest req) throws IOException {
        Matcher m = TTS.matcher(req.path);
        if (!req.method.equals("POST") || !m.matches()) {
            return false;
        }
        counts.computeIfAbsent("elevenlabs.tts", k -> new AtomicInteger()).incrementAndGet();
        ObjectNode body = req.jsonObject();
        JsonNode text = body == null ? null : body.get("text");
        if (text == null || !text.isTextual()) {
            req.json(422, Map.of("detail", List.of(Map.of("type", "missing", "loc", List.of("body", "text"), "msg", "Field required"))));
            return true;
        }
        String key = req.header("xi-api-key");
        if (key == null || key.isBlank()) {
            error(req, 401, "authentication_error", "unauthorized", "invalid_api_key",
                    "Neither authorization header nor xi-api-key received, please provide one.");
            return true;
        }
        // the account's concurrent requests (SimAccount): beyond them a 429 too_many_concurrent_requests
        Runnable release = account.get().speak(req);
        if (release == null) {
            return true;
        }
        try {
            speak(req, text);
        } finally {
            release.run();
        }
        return true;
    }

    private void speak(SimRequest req, JsonNode text) throws IOException {
        Optional<String> fault = faults.next("tts", text.asText());
        if (fault.filter("quota"::equals).isPresent()) {
            legacy(req, 401, "quota_exceeded", "This request exceeds your quota of 10000. You have 12 credits remaining, while "
                    + text.asText().length() + " credits are required for this request.");
            return;
        }
        if (fault.filter("concurrent"::equals).isPresent()) {
            error(req, 429, "rate_limit_error", "concurrent_limit_exceeded", "too_many_concurrent_requests",
                    "Too many concurrent requests for your plan. Please wait for requests in flight to finish.");
            return;
        }
        if (faults.answer(req, fault, ElevenLabsSimulator::fault)) {
            return;
        }
        String format = req.query.getOrDefault("output_format", "mp3_44100_128");
        Matcher mp3 = MP3.matcher(format);
        if (mp3.matches()) {
            byte[] audio = Media.silentMp3(Media.speechSeconds(Faults.clean(text.asText())));
            answered(req, text.asText(), audio, "audio/mpeg");
            return;
        }
        Matcher f = FORMAT.matcher(format);
        if (!f.matches()) {
            error(req, 400, "validation_error", "invalid_parameters", "invalid_parameters",
                    "The simulator makes mp3_<rate>_<bitrate>, wav_<rate> and pcm_<rate> audio, not " + format);
            return;
        }
        boolean wav = f.group(1).equals("wav");
        long work = settings.latency("tts", 0);
        if (work > 0) {
            ProviderSimulator.sleep(work);
        }
        byte[] audio = Media.speech(Faults.clean(text.asText()), Integer.parseInt(f.group(2)), wav);
        answered(req, text.asText(), audio, wav ? "audio/wav" : "audio/pcm");
    }

    private void answered(SimRequest req, String text, byte[] audio, String contentType) throws IOException {
        faults.remember(audio, text);
        req.exchange.getResponseHeaders().set("request-id", HexFormat.of().formatHex(randomBytes()));
        req.exchange.getResponseHeaders().set("character-cost", String.valueOf(text.length()));
        req.send(200, contentType, audio);
        spoken.computeIfAbsent(Faults.clean(text), k -> new AtomicInteger()).incrementAndGet();
    }

    private static void fault(SimRequest req, int status) throws IOException {
        switch (status) {
            case 401 -> error(req, 401, "authentication_error", "invalid_api_key", "invalid_api_key", "Invalid API key");
            case 429 -> error(req, 429, "rate_limit_error", "system_busy", "system_busy",
                    "We're experiencing a high volume of requests. Please try again shortly.");
            case 422 -> req.json(422, Map.of("detail", List.of(Map.of("type", "value_error", "loc", List.of("body", "text"), "msg", "simulated"))));
            default -> error(req, status, "internal_error", "internal_error", "internal_error", "Simulated server error " + status);
        }
    }

    /** The current error format: {@code {"detail": {"type", "code", "message", "status", "request_id"}}}. */
    private static void error(SimRequest req, int status, String type, String code, String statusWord, String message)
            throws IOException {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", type);
        detail.put("code", code);
        detail.put("message", message);
        detail.put("status", statusWord);
        detail.put("request_id", HexFormat.of().formatHex(randomBytes()));
        req.json(status, Map.of("detail", detail));
    }

    /** The legacy format, still seen: {@code {"detail": {"status", "message"}}}. */
    private static void legacy(SimRequest req, int status, String statusWord, String message) throws IOException {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("status", statusWord);
        detail.put("message", message);
        req.json(status, Map.of("detail", detail));
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
