package io.scenepipeline.simulator;

import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One request to the simulator, with helpers to answer it. */
final class SimRequest {

    final HttpExchange exchange;
    final String method;
    final String path;
    final Map<String, String> query = new LinkedHashMap<>();
    final byte[] body;
    final String baseUrl;
    private Runnable answering = () -> { };

    SimRequest(HttpExchange exchange, String baseUrl) throws IOException {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        this.path = uri.getPath();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                query.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        this.body = exchange.getRequestBody().readAllBytes();
        this.baseUrl = baseUrl;
    }

    /** Run once the response starts to go out (the request counts as answered from then on). */
    void answering(Runnable whenAnswering) {
        this.answering = whenAnswering;
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The body as a JSON object, or null when it is not one. */
    ObjectNode jsonObject() {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    void json(int status, Object value) throws IOException {
        send(status, "application/json", Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    void problem(int status, String title, String detail) throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        if (title != null) {
            p.put("title", title);
        }
        p.put("detail", detail);
        p.put("status", status);
        send(status, "application/problem+json", Json.write(p).getBytes(StandardCharsets.UTF_8));
    }

    void send(int status, String contentType, byte[] bytes) throws IOException {
        answering.run();
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    /** Sends {@code head} followed by zeros up to {@code total} bytes, streamed: a large file never held in memory. */
    void sendPadded(String contentType, byte[] head, long total) throws IOException {
        answering.run();
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, total);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(head);
            byte[] zeros = new byte[1 << 16];
            for (long left = total - head.length; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        }
        exchange.close();
    }

    /** Announces {@code bytes.length} but sends only half, then closes: a truncated download. */
    void sendTruncated(String contentType, byte[] bytes) throws IOException {
        answering.run();
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, bytes.length);
        OutputStream out = exchange.getResponseBody();
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        throw new SimulatedDisconnect();
    }

    /** Thrown to make the server drop the connection without (the rest of) a response. */
    static final class SimulatedDisconnect extends RuntimeException {
        SimulatedDisconnect() {
            super("simulated disconnect", null, false, false);
        }
    }
}
