package io.scenepipeline.console;

import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/**
 * Who may read the console's API and who may act through it (docs/console.md). With {@code management.token} set (it must
 * be, whenever the management server listens beyond loopback), every API request carries {@code Authorization: Bearer
 * <token>}, else 401. Without it (loopback only), a request must name a loopback host (no page on another site reaches
 * it by rebinding its name to 127.0.0.1). An action is a POST and never a GET, and must carry a header no foreign page
 * can send without this server's consent (the bearer token, or {@code X-Requested-By}: a browser asks first, and this
 * server never consents), and no {@code Origin} or {@code Sec-Fetch-Site} of another site: else 403. No cookie is read.
 */
final class ConsoleGuard {

    /** The header the console's page sends with each action when no token is configured. */
    static final String REQUESTED_BY = "X-Requested-By";
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    /** A refused request: its status and why. */
    record Refusal(int status, String error) {
    }

    private final byte[] token;

    /** @param token {@code management.token}, or null/blank for none */
    ConsoleGuard(String token) {
        this.token = token == null || token.isBlank() ? null : token.trim().getBytes(StandardCharsets.UTF_8);
    }

    boolean tokenRequired() {
        return token != null;
    }

    /** Null when the request may go on; else why not. */
    Refusal check(RoutingContext http, boolean action) {
        String authorization = http.request().getHeader("Authorization");
        if (token != null) {
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return new Refusal(401, "this server needs its management.token: send Authorization: Bearer <token>");
            }
            byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(given, token)) {
                return new Refusal(401, "wrong token (management.token)");
            }
        } else if (!loopbackHost(host(http))) {
            return new Refusal(403, "without management.token the console answers only requests to a loopback host");
        }
        if (!action) {
            return null;
        }
        String site = http.request().getHeader("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            return new Refusal(403, "refused: an action sent from another site (" + site + ")");
        }
        String origin = http.request().getHeader("Origin");
        String host = host(http);
        if (origin != null && !origin.equals("null") && host != null
                && !origin.toLowerCase(Locale.ROOT).replaceFirst("^https?://", "").equals(host.toLowerCase(Locale.ROOT))) {
            return new Refusal(403, "refused: an action sent from another origin (" + origin + ")");
        }
        if ("null".equals(origin)) {
            return new Refusal(403, "refused: an action sent from an opaque origin");
        }
        if (token == null && http.request().getHeader(REQUESTED_BY) == null) {
            return new Refusal(403, "refused: an action needs the header " + REQUESTED_BY + " (or a management.token)");
        }
        return null;
    }

    /** The host the request names: its Host header, or HTTP/2's :authority. */
    @SuppressWarnings("deprecation")
    private static String host(RoutingContext http) {
        return http.request().host();
    }

    private static boolean loopbackHost(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            host = host.indexOf(']') > 0 ? host.substring(0, host.indexOf(']') + 1) : host;
        } else if (host.indexOf(':') > 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        return LOOPBACK.contains(host);
    }
}
