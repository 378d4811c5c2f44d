package io.scenepipeline.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** One simulated Replicate prediction; its status moves with time. */
final class SimPrediction {
    final String id;
    final String model;
    final String version;
    final ObjectNode input;
    final Instant createdAt;
    final String plannedFailure;
    volatile String status = "starting";
    volatile String error;
    volatile Instant startedAt;
    volatile Instant completedAt;
    volatile byte[] output;
    /** The output, made in the background from the moment of the create: no answer waits for it to be rendered. */
    volatile java.util.concurrent.CompletableFuture<byte[]> media = java.util.concurrent.CompletableFuture.completedFuture(null);
    /** {@code Cancel-After}: epoch ms past which the prediction ends {@code aborted} (not started) or {@code canceled}. */
    volatile Long deadline;

    SimPrediction(String id, String model, String version, ObjectNode input, Instant createdAt, String plannedFailure) {
        this.id = id;
        this.model = model;
        this.version = version;
        this.input = input;
        this.createdAt = createdAt;
        this.plannedFailure = plannedFailure;
    }

    String prompt() {
        return input.path("prompt").asText("");
    }

    boolean terminal() {
        return Set.of("succeeded", "failed", "canceled", "aborted").contains(status);
    }

    synchronized void cancel() {
        if (!terminal()) {
            status = "canceled";
            completedAt = Instant.now();
        }
    }

    boolean expired(long ttl) {
        return completedAt != null && System.currentTimeMillis() - completedAt.toEpochMilli() > ttl;
    }

    /**
     * Moves the status on with time: {@code processing} after a fifth of {@code runMs}, then done at {@code runMs} once
     * its media is made (a prediction whose media is late is still processing, as a slow GPU would be).
     */
    synchronized void advance(long runMs) {
        if (terminal()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (deadline != null && now > deadline) {
            status = startedAt == null ? "aborted" : "canceled";
            completedAt = Instant.now();
            return;
        }
        long age = now - createdAt.toEpochMilli();
        if (age >= runMs / 5 && startedAt == null) {
            startedAt = Instant.now();
            status = "processing";
        }
        if (age < runMs) {
            return;
        }
        if (plannedFailure != null) {
            status = "failed";
            error = plannedFailure;
        } else if (!media.isDone()) {
            return;
        } else {
            byte[] made = media.getNow(null);
            if (made == null) {
                status = "failed";
                error = "Could not load the input image";
            } else {
                output = made;
                status = "succeeded";
            }
        }
        if (startedAt == null) {
            startedAt = Instant.now();
        }
        completedAt = Instant.now();
    }

    String contentType() {
        return ModelInputs.isVideo(model) ? "video/mp4" : "image/png";
    }

    Object outputValue(String baseUrl) {
        String url = baseUrl + "/files/" + id + "/out-0." + (ModelInputs.isVideo(model) ? "mp4" : "png");
        return model.equals("stability-ai/sdxl") ? List.of(url) : url;
    }

    /** The prediction as Replicate shows it. */
    Map<String, Object> view(String baseUrl, long fileTtlMs) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("model", model);
        v.put("version", version);
        v.put("input", input);
        v.put("logs", status.equals("starting") ? "" : "simulated run\n");
        boolean removed = output != null && expired(fileTtlMs);
        v.put("output", status.equals("succeeded") && !removed ? outputValue(baseUrl) : null);
        v.put("data_removed", removed);
        v.put("error", error);
        v.put("status", status);
        v.put("source", "api");
        v.put("created_at", createdAt.toString());
        if (deadline != null) {
            v.put("deadline", Instant.ofEpochMilli(deadline).toString());
        }
        if (startedAt != null) {
            v.put("started_at", startedAt.toString());
        }
        if (completedAt != null) {
            v.put("completed_at", completedAt.toString());
            v.put("metrics", Map.of("predict_time", (completedAt.toEpochMilli() - createdAt.toEpochMilli()) / 1000.0));
        }
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("get", baseUrl + "/v1/predictions/" + id);
        urls.put("cancel", baseUrl + "/v1/predictions/" + id + "/cancel");
        urls.put("web", "https://replicate.com/p/" + id);
        v.put("urls", urls);
        return v;
    }

    /** A prediction id as Replicate makes them: 26 lowercase letters and digits. */
    static String newId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(26);
        for (int i = 0; i < 26; i++) {
            sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
