package io.scenepipeline.provider;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

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
}
