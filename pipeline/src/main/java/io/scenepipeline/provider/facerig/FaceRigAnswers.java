package io.scenepipeline.provider.facerig;

import io.scenepipeline.support.Json;
import io.scenepipeline.support.SafeText;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a face_rig answer's status (its endpoints do not throw on an error status). The real server raises its own
 * 404s and 400s inside {@code try/except} and answers them as {@code 500 "Failed to …: (404, '…')"}, so what it means is
 * read from its {@code detail}, in this one place: a lost audio file, an empty timeline, a missing aligner or OpenAI
 * key. Every other error status is raised as camel-http would (and retried by status).
 */
final class FaceRigAnswers {

    /** The server has no audio of that name: the scene uploads it again, then exports again. */
    static final class AudioNotFoundException extends RuntimeException {
        AudioNotFoundException(String message) {
            super(message);
        }
    }

    private FaceRigAnswers() {
    }

    static void check(Exchange exchange, String server) throws HttpOperationFailedException {
        Message in = exchange.getIn();
        int code = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        if (code >= 200 && code <= 299) {
            return;
        }
        String body = in.getBody(String.class);
        String detail = detail(body);
        if (detail.contains("Audio file not found")) {
            throw new AudioNotFoundException("face_rig server " + server + " has no such audio: " + SafeText.cap(detail, 300));
        }
        if (detail.contains("Empty timeline")) {
            throw new FaceRigRefusedException("face_rig refused the export: the timeline is empty (the narration's alignment "
                    + "gave no keyframes); check the scene's narration and its audio");
        }
        if (detail.contains("MFA not available")) {
            throw new FaceRigRefusedException("face_rig server " + server + " cannot align: the Montreal Forced Aligner is not "
                    + "installed in its 'aligner' conda env; install it there (" + SafeText.cap(detail, 300) + ")");
        }
        if (detail.contains("OPENAI_API_KEY not set")) {
            throw new FaceRigRefusedException("face_rig server " + server + " cannot make emotions: OPENAI_API_KEY is not set "
                    + "where it runs");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        in.getHeaders().forEach((k, v) -> {
            if (!k.startsWith("Camel") && v != null) {
                headers.put(k, v.toString());
            }
        });
        throw new HttpOperationFailedException(server + in.getHeader(Exchange.HTTP_PATH, "", String.class), code,
                in.getHeader(Exchange.HTTP_RESPONSE_TEXT, "", String.class), null, headers, body);
    }

    private static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode detail = Json.read(body).path("detail");
            return detail.isTextual() ? detail.asText() : detail.toString();
        } catch (RuntimeException notJson) {
            return body;
        }
    }
}
