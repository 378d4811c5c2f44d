package io.scenepipeline.simulator;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replicate's files API, as the official clients use it for file inputs: {@code POST /v1/files} (multipart, field
 * {@code content}) answers {@code 201} with a file object whose {@code urls.get} can be given as a model input;
 * {@code GET /v1/files/{id}} is the object, {@code GET /v1/files/{id}/download} the bytes, {@code DELETE} removes it.
 */
final class SimFiles {

    private static final Pattern ONE = Pattern.compile("/v1/files/([a-z0-9-]+)(/download)?");

    private record Stored(String id, String name, String contentType, byte[] content, Instant createdAt) {
    }

    private final String baseUrl;
    private final Map<String, Stored> files = new ConcurrentHashMap<>();

    SimFiles(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    boolean handle(SimRequest req) throws IOException {
        if (req.method.equals("POST") && req.path.equals("/v1/files")) {
            Multipart.Part part = Multipart.parse(req.header("Content-Type"), req.body).get("content");
            if (part == null) {
                req.problem(400, "Bad request", "The upload has no 'content' part");
                return true;
            }
            String id = UUID.randomUUID().toString().replace("-", "").substring(0, 24);
            Stored f = new Stored(id, part.fileName() == null ? "file" : part.fileName(), "application/octet-stream",
                    part.content(), Instant.now());
            files.put(id, f);
            req.json(201, view(f));
            return true;
        }
        Matcher m = ONE.matcher(req.path);
        if (!m.matches()) {
            return false;
        }
        Stored f = files.get(m.group(1));
        if (f == null) {
            req.json(404, Map.of("detail", "The requested resource could not be found.", "status", 404));
        } else if (req.method.equals("DELETE")) {
            files.remove(f.id());
            req.send(204, "application/json", new byte[0]);
        } else if (m.group(2) != null) {
            req.send(200, f.contentType(), f.content());
        } else {
            req.json(200, view(f));
        }
        return true;
    }

    /** The bytes behind a file URL this API handed out, or null. */
    byte[] content(String url) {
        Matcher m = ONE.matcher(url.startsWith(baseUrl) ? url.substring(baseUrl.length()) : "");
        if (!m.matches()) {
            return null;
        }
        Stored f = files.get(m.group(1));
        return f == null ? null : f.content();
    }

    private Map<String, Object> view(Stored f) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", f.id());
        v.put("name", f.name());
        v.put("content_type", f.contentType());
        v.put("size", f.content().length);
        v.put("etag", sha256(f.content()).substring(0, 32));
        v.put("checksums", Map.of("sha256", sha256(f.content())));
        v.put("metadata", Map.of());
        v.put("created_at", f.createdAt().toString());
        v.put("expires_at", f.createdAt().plus(Duration.ofDays(1)).toString());
        v.put("urls", Map.of("get", baseUrl + "/v1/files/" + f.id()));
        return v;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
