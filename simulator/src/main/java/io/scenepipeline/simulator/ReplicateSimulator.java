package io.scenepipeline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Replicate's predictions API (docs/providers.md, Replicate) and its output files. */
final class ReplicateSimulator {

    private static final Set<String> OFFICIAL = Set.of("google/imagen-3", "bytedance/seedance-1-pro", "bytedance/seedance-1-lite");
    private static final Map<String, String> COMMUNITY_VERSIONS = Map.of(
            "7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc", "stability-ai/sdxl",
            "39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b", "stability-ai/sdxl",
            "3f0457e4619daac51203dedb472816fd4af51f3149fa7a9e0b5ffcf1b8172438", "stability-ai/stable-video-diffusion");
    private static final Set<String> CREATE_KEYS = Set.of("version", "input", "webhook", "webhook_events_filter", "stream");
    private static final Pattern PREDICTION_PATH = Pattern.compile("/v1/predictions/([a-z0-9]+)(/cancel)?");
    private static final Pattern MODEL_PATH = Pattern.compile("/v1/models/([^/]+)/([^/]+)/predictions");
    static final Pattern FILE_PATH = Pattern.compile("/files/([a-z0-9]+)/(out-0\\.(png|mp4))");
    static final String E005 = "The input or output was flagged as sensitive. Please try again with different inputs. (E005)";
    static final String INTERRUPTED = "SimPrediction interrupted; please retry (code: PA)";

    private final String baseUrl;
    private final SimulatorSettings settings;
    private final Faults faults;
    private final Map<String, SimPrediction> predictions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> createsByInput = new ConcurrentHashMap<>();
    /** Where outputs are made, off the request path. */
    private final java.util.concurrent.ExecutorService renderers = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "simulator-render");
        t.setDaemon(true);
        return t;
    });
    private final SimFiles files;
    private final PredictionMedia media;
    private final java.util.function.Supplier<SimAccount.Limits> account;
    private final SimWebhooks webhooks = new SimWebhooks();

    ReplicateSimulator(String baseUrl, SimulatorSettings settings, Faults faults, java.util.function.Supplier<SimAccount.Limits> account) {
        this.account = account;
        this.files = new SimFiles(baseUrl);
        this.media = new PredictionMedia(baseUrl, settings, files, id -> predictions.get(id));
        this.baseUrl = baseUrl;
        this.settings = settings;
        this.faults = faults;
    }

    Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        out.putAll(webhooks.counts());
        return out;
    }

    void close() {
        webhooks.close();
    }

    /** Predictions created per model and prompt: a step paid twice shows up as a 2. */
    Map<String, Integer> createsByInput() {
        Map<String, Integer> out = new TreeMap<>();
        createsByInput.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private void count(String kind) {
        counts.computeIfAbsent("replicate." + kind, k -> new AtomicInteger()).incrementAndGet();
    }

    boolean handle(SimRequest req) throws IOException {
        Matcher file = FILE_PATH.matcher(req.path);
        if (req.method.equals("GET") && file.matches()) {
            count("download");
            download(req, file.group(1));
            return true;
        }
        if (!authorized(req)) {
            req.problem(401, "Unauthenticated", "You did not pass a valid authentication token");
            return true;
        }
        if (req.method.equals("GET") && req.path.equals("/v1/webhooks/default/secret")) {
            count("webhook-secret");
            req.json(200, Map.of("key", webhooks.secret()));
            return true;
        }
        if (req.path.startsWith("/v1/files")) {
            count("file");
            return files.handle(req);
        }
        Matcher model = MODEL_PATH.matcher(req.path);
        Matcher prediction = PREDICTION_PATH.matcher(req.path);
        boolean create = req.method.equals("POST") && (model.matches() || req.path.equals("/v1/predictions"));
        if (create ? account.get().refuseCreate(req) : account.get().refuseRequest(req)) {
            return true;
        }
        if (req.method.equals("POST") && model.matches()) {
            count("create");
            String name = model.group(1) + "/" + model.group(2);
            if (!OFFICIAL.contains(name)) {
                req.json(404, Map.of("detail", "The requested resource could not be found.", "status", 404));
                return true;
            }
            create(req, name, "hidden");
            return true;
        }
        if (req.method.equals("POST") && req.path.equals("/v1/predictions")) {
            count("create");
            createByVersion(req);
            return true;
        }
        if (req.method.equals("GET") && req.path.equals("/v1/predictions")) {
            count("list");
            list(req);
            return true;
        }
        if (prediction.matches()) {
            SimPrediction p = predictions.get(prediction.group(1));
            if (p == null) {
                req.json(404, Map.of("detail", "The requested resource could not be found.", "status", 404));
                return true;
            }
            if (req.method.equals("POST") && prediction.group(2) != null) {
                count("cancel");
                p.cancel();
                req.json(200, view(p));
                return true;
            }
            if (req.method.equals("GET") && prediction.group(2) == null) {
                count("poll");
                if (faults.answer(req, faults.next("poll", p.prompt()), ReplicateErrors::error)) {
                    return true;
                }
                req.json(200, view(p));
                return true;
            }
        }
        return false;
    }

    private static boolean authorized(SimRequest req) {
        String auth = req.header("Authorization");
        return auth != null && (auth.startsWith("Bearer ") || auth.startsWith("Token ")) && auth.substring(auth.indexOf(' ') + 1).trim().length() > 0;
    }

    private void createByVersion(SimRequest req) throws IOException {
        ObjectNode body = req.jsonObject();
        if (body == null) {
            req.problem(400, "Bad request", "The request body is not a JSON object");
            return;
        }
        List<String> invalid = new ArrayList<>();
        body.fieldNames().forEachRemaining(k -> {
            if (!CREATE_KEYS.contains(k)) {
                invalid.add("Additional property " + k + " is not allowed");
            }
        });
        JsonNode version = body.get("version");
        if (version == null || !version.isTextual()) {
            invalid.add("version is required");
        }
        if (!invalid.isEmpty()) {
            ReplicateErrors.invalidFields(req, invalid);
            return;
        }
        String v = version.asText();
        String modelName;
        String versionId;
        if (OFFICIAL.contains(v)) {
            modelName = v;
            versionId = "hidden";
        } else {
            String hash = v.contains(":") ? v.substring(v.indexOf(':') + 1) : v;
            modelName = COMMUNITY_VERSIONS.get(hash);
            versionId = hash;
            if (modelName == null || (v.contains(":") && !v.startsWith(modelName + ":"))) {
                req.problem(422, "Invalid version or not permitted",
                        "The specified version does not exist (or perhaps you don't have permission to use it?)");
                return;
            }
        }
        create(req, modelName, versionId);
    }

    private void create(SimRequest req, String modelName, String version) throws IOException {
        ObjectNode body = req.jsonObject();
        if (body == null) {
            req.problem(400, "Bad request", "The request body is not a JSON object");
            return;
        }
        JsonNode input = body.get("input");
        if (input == null || !input.isObject()) {
            ReplicateErrors.invalidFields(req, List.of("input is required"));
            return;
        }
        List<String> problems = ModelInputs.check(modelName, (ObjectNode) input);
        if (!problems.isEmpty()) {
            ReplicateErrors.invalidFields(req, problems);
            return;
        }
        boolean video = ModelInputs.isVideo(modelName);
        Optional<String> fault = faults.next(video ? "video" : "image", input.path("prompt").asText(""));
        if (faults.answer(req, fault, ReplicateErrors::error)) {
            return;
        }
        String failure = fault.map(f -> f.equals("e005") ? E005 : f.equals("interrupted") ? INTERRUPTED : null).orElse(null);
        createsByInput.computeIfAbsent(modelName + " | " + Faults.clean(input.path("prompt").asText("")), k -> new AtomicInteger())
                .incrementAndGet();
        SimPrediction p = new SimPrediction(SimPrediction.newId(), modelName, version, (ObjectNode) input, Instant.now(), failure);
        Long cancelAfter = CancelAfter.millis(req.header("Cancel-After"));
        if (cancelAfter != null) {
            p.deadline = p.createdAt.toEpochMilli() + cancelAfter;
        }
        // the output is made now, off every request's path: polls answer at once whatever the machine is doing
        p.media = java.util.concurrent.CompletableFuture.supplyAsync(() -> failure == null ? media.render(p) : null, renderers);
        predictions.put(p.id, p);
        JsonNode webhook = body.get("webhook");
        if (webhook != null && webhook.isTextual()) {
            webhooks.whenDone(p, webhook.asText(), runMs(p), this::view);
        }
        req.exchange.getResponseHeaders().set("ratelimit-remaining", "599");
        req.exchange.getResponseHeaders().set("ratelimit-reset", "1");
        String prefer = req.header("Prefer");
        if (prefer != null && prefer.startsWith("wait")) {
            long wait = prefer.contains("=") ? Long.parseLong(prefer.substring(prefer.indexOf('=') + 1).trim()) : 60;
            long until = System.currentTimeMillis() + wait * 1000;
            // answers as soon as the prediction ends, or when the wait runs out
            for (p.advance(runMs(p)); !p.terminal() && System.currentTimeMillis() < until; p.advance(runMs(p))) {
                ProviderSimulator.sleep(Math.min(20, Math.max(1, until - System.currentTimeMillis())));
            }
            req.exchange.getResponseHeaders().set("Preference-Applied", prefer);
        }
        req.json(201, view(p));
    }

    private void list(SimRequest req) throws IOException {
        List<SimPrediction> all = new ArrayList<>(predictions.values());
        all.sort(Comparator.comparing((SimPrediction p) -> p.createdAt).reversed());
        int offset = req.query.containsKey("cursor") ? Integer.parseInt(req.query.get("cursor")) : 0;
        List<Object> page = new ArrayList<>();
        for (int i = offset; i < Math.min(all.size(), offset + 100); i++) {
            Map<String, Object> v = view(all.get(i));
            v.put("source", "api");
            page.add(v);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("next", offset + 100 < all.size() ? baseUrl + "/v1/predictions?cursor=" + (offset + 100) : null);
        out.put("previous", offset > 0 ? baseUrl + "/v1/predictions?cursor=" + Math.max(0, offset - 100) : null);
        out.put("results", page);
        req.json(200, out);
    }

    private void download(SimRequest req, String id) throws IOException {
        SimPrediction p = predictions.get(id);
        if (p == null || p.output == null || p.expired(settings.fileTtlMs())) {
            req.json(404, Map.of("detail", "Not found"));
            return;
        }
        Optional<String> fault = faults.next("download", p.prompt());
        if (fault.isPresent() && fault.get().equals("truncate")) {
            req.sendTruncated(p.contentType(), p.output);
        }
        if (faults.answer(req, fault, (r, s) -> r.json(s, Map.of("detail", "delivery error")))) {
            return;
        }
        if (settings.clipBytes() > 0 && ModelInputs.isVideo(p.model)) {
            req.sendPadded(p.contentType(), p.output, settings.clipBytes());
            return;
        }
        req.send(200, p.contentType(), p.output);
    }

    private Map<String, Object> view(SimPrediction p) {
        p.advance(runMs(p));
        return p.view(baseUrl, settings.fileTtlMs());
    }

    private long runMs(SimPrediction p) {
        return settings.latency(ModelInputs.isVideo(p.model) ? "video" : "image", settings.predictionMs());
    }
}
