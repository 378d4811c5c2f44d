package io.scenepipeline.simulator;

import io.scenepipeline.support.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Replicate's error answers, as the simulator gives them (problem+json, 429 with Retry-After). */
final class ReplicateErrors {

    private ReplicateErrors() {
    }

    static void error(SimRequest req, int status) throws IOException {
        switch (status) {
            case 401 -> req.problem(401, "Unauthenticated", "You did not pass a valid authentication token");
            case 402 -> req.problem(402, "Insufficient credit", "You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit. Once you purchase credit, please wait a few minutes before trying again.");
            case 404 -> req.json(404, Map.of("detail", "The requested resource could not be found.", "status", 404));
            case 422 -> invalidFields(req, List.of("input: simulated validation failure"));
            case 429 -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("detail", "Request was throttled. Your rate limit resets in ~1s.");
                body.put("status", 429);
                body.put("retry_after", 1);
                req.exchange.getResponseHeaders().set("Retry-After", "1");
                req.send(429, "application/problem+json", Json.write(body).getBytes(StandardCharsets.UTF_8));
            }
            default -> req.problem(status, null, "Simulated server error " + status);
        }
    }

    static void invalidFields(SimRequest req, List<String> problems) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        StringBuilder detail = new StringBuilder();
        List<Map<String, String>> fields = new ArrayList<>();
        for (String p : problems) {
            detail.append("- ").append(p).append('\n');
            fields.add(Map.of("type", "invalid", "field", p.contains(":") ? p.substring(0, p.indexOf(':')) : "", "description", p));
        }
        body.put("detail", detail.toString());
        body.put("status", 422);
        body.put("title", "Input validation failed");
        body.put("invalid_fields", fields);
        req.send(422, "application/problem+json", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }
}
