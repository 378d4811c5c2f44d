package io.scenepipeline.retry;

import io.scenepipeline.provider.CallDeadlineException;
import io.scenepipeline.provider.ResponseTooLargeException;
import io.scenepipeline.support.Causes;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.SafeText;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One human-readable sentence for a failure, with the provider's own message: Replicate's problem+json
 * {@code detail}, ElevenLabs' {@code detail.message} (or its validation list), face_rig's {@code detail}.
 */
public final class ProviderErrors {

    private static final Pattern RESPONSE_TIMEOUT = Pattern.compile("[?&]responseTimeout=(\\d+)");

    private ProviderErrors() {
    }

    public static String describe(Throwable failure) {
        return describe(failure, null);
    }

    /**
     * @param endpointUri the camel-http endpoint that failed, if known: a read timeout then says how long it waited
     *                    (its {@code responseTimeout})
     */
    public static String describe(Throwable failure, String endpointUri) {
        return SafeText.cap(sentence(failure, endpointUri));
    }

    private static String sentence(Throwable failure, String endpointUri) {
        Throwable t = rootOfInterest(failure);
        if (t instanceof CallDeadlineException || t instanceof ResponseTooLargeException) {
            return t.getMessage();
        }
        if (t instanceof HttpOperationFailedException h && h.isRedirectError()) {
            return redirect(h);
        }
        if (t instanceof HttpOperationFailedException h) {
            String text = h.getStatusText() == null || h.getStatusText().isBlank()
                    ? EnglishReasonPhraseCatalog.INSTANCE.getReason(h.getStatusCode(), Locale.ENGLISH) : h.getStatusText();
            String reason = text == null ? "" : " " + text;
            String detail = detail(h.getResponseBody());
            return h.getStatusCode() + reason + (detail.isEmpty() ? "" : " - " + detail);
        }
        if (t instanceof NoHttpResponseException) {
            return "Server disconnected without sending a response";
        }
        if (t instanceof ConnectionClosedException) {
            return "Connection closed before the response was complete: " + t.getMessage();
        }
        if (t instanceof ConnectException) {
            return "Connection failed: " + t.getMessage();
        }
        if (t instanceof ConnectTimeoutException) {
            return "Connect timed out: " + t.getMessage();
        }
        if (t instanceof SocketTimeoutException) {
            Matcher m = endpointUri == null ? null : RESPONSE_TIMEOUT.matcher(endpointUri);
            return m != null && m.find() ? "Read timed out after " + StepFailureHandler.seconds(Long.parseLong(m.group(1))) + " s"
                    : "Read timed out";
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    private static String redirect(HttpOperationFailedException h) {
        String location = h.getRedirectLocation();
        String host = null;
        try {
            host = location == null ? null : URI.create(location.trim()).getHost();
        } catch (IllegalArgumentException notAUri) {
            // said as it came
        }
        String where = host != null ? host : location == null ? "an address it did not give" : SafeText.cap(location, 200);
        return h.getStatusCode() + " redirect to " + where + " refused: redirects are not followed, and only the hosts in "
                + "replicate.download-hosts (and replicate.base-url's) are downloaded from";
    }

    private static Throwable rootOfInterest(Throwable failure) {
        for (Throwable t : Causes.of(failure)) {
            if (t instanceof HttpOperationFailedException || t.getCause() == null
                    || t instanceof IOException || t.getClass().getName().startsWith("io.scenepipeline")) {
                return t;
            }
        }
        return failure;
    }

    static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        JsonNode node;
        try {
            node = Json.read(body);
        } catch (RuntimeException notJson) {
            return Json.abbreviate(body);
        }
        JsonNode detail = node.get("detail");
        if (detail == null) {
            JsonNode title = node.get("title");
            return title != null && title.isTextual() ? title.asText() : Json.abbreviate(body);
        }
        if (detail.isTextual()) {
            // Replicate lists a 422's problems as "- input.x: …" lines: one sentence, the list marks dropped
            return SafeText.cap(String.join("; ", detail.asText().strip().lines().map(l -> l.strip().replaceFirst("^[-*]\\s+", ""))
                    .filter(l -> !l.isEmpty()).toList()));
        }
        if (detail.isObject()) {
            JsonNode message = detail.get("message");
            JsonNode status = detail.has("code") ? detail.get("code") : detail.get("status");
            String text = message != null ? message.asText() : detail.toString();
            return status != null ? text + " (" + status.asText() + ")" : text;
        }
        if (detail.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : detail) {
                JsonNode loc = item.get("loc");
                JsonNode msg = item.get("msg");
                String where = loc == null ? "" : String.join(".", toStrings(loc)) + ": ";
                items.add(where + (msg == null ? item.toString() : msg.asText()));
            }
            return String.join("; ", items);
        }
        return detail.toString();
    }

    private static List<String> toStrings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
