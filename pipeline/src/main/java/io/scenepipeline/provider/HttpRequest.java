package io.scenepipeline.provider;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepares the message for the next call of a camel-http endpoint: every header left over from earlier calls
 * (provider response headers would otherwise be sent on) is removed, except Camel's redelivery bookkeeping,
 * which must survive inside a retried unit.
 */
public final class HttpRequest {

    private HttpRequest() {
    }

    public static Message start(Exchange exchange, String method, String path) {
        Message in = exchange.getIn();
        in.removeHeaders("*", "CamelRedelivery*");
        in.setHeader(Exchange.HTTP_METHOD, method);
        if (path != null) {
            in.setHeader(Exchange.HTTP_PATH, path);
        }
        in.setBody(null);
        return in;
    }

    /** Removes the credential headers once a call is answered: they never travel further with the exchange. */
    public static void forgetCredentials(Exchange exchange) {
        exchange.getIn().removeHeader("Authorization");
        exchange.getIn().removeHeader("xi-api-key");
    }

    public static Message json(Exchange exchange, String method, String path, String body) {
        Message in = start(exchange, method, path);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader("Accept", "application/json");
        in.setBody(body);
        return in;
    }

    /**
     * Reads the answer of an endpoint that hands its body over unread ({@code disableStreamCache=true}) into the message,
     * and closes it (the connection goes back to its pool): an answer is read, not kept in the stream-cache spool until
     * the plan ends. Its size is bounded by the call's {@link CallDeadline}.
     */
    public static String readAnswer(Exchange exchange) throws java.io.IOException {
        Object body = exchange.getIn().getBody();
        String text;
        if (body instanceof java.io.InputStream stream) {
            try (stream) {
                text = new String(stream.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } else {
            text = exchange.getIn().getBody(String.class);
        }
        exchange.getIn().setBody(text);
        return text;
    }

    /** The HTTP status of the answer just read (200 when none was set). */
    public static int status(Exchange exchange) {
        return exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
    }

    /**
     * The failure camel-http would have raised for the answer just read, from an endpoint that does not throw on an
     * error status ({@code throwExceptionOnFailure=false}) so that the protocol can read the answer first.
     */
    public static HttpOperationFailedException failure(Exchange exchange, String uri) {
        Message in = exchange.getIn();
        Map<String, String> headers = new LinkedHashMap<>();
        in.getHeaders().forEach((k, v) -> {
            if (!k.startsWith("Camel") && v != null) {
                headers.put(k, v.toString());
            }
        });
        return new HttpOperationFailedException(uri, status(exchange), in.getHeader(Exchange.HTTP_RESPONSE_TEXT, "", String.class),
                null, headers, in.getBody(String.class));
    }
}
