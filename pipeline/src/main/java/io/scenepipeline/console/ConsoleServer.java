package io.scenepipeline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.log.Logs;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.slf4j.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The operator console on Camel's management server ({@code camel.management.port}): the page at {@code /console/}
 * and its JSON API under {@code /api/} (docs/console.md). Every request passes the {@link ConsoleGuard}; what reads
 * files or the database runs off the server's event loop.
 */
public final class ConsoleServer implements StartupListener {

    private static final Logger LOG = Logs.of(ConsoleServer.class);
    private static final int MAX_BODY = 64 << 10;
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final Map<String, String> STATIC = Map.of("", "text/html; charset=utf-8", "console.js",
            "text/javascript; charset=utf-8", "console.css", "text/css; charset=utf-8");

    private final ConsoleGuard guard;
    private final ConsoleApi api;

    public ConsoleServer(String token, ConsoleApi api) {
        this.guard = new ConsoleGuard(token);
        this.api = api;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // mounted once the management server is up
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null) {
            return; // camel.management.enabled=false: no console
        }
        mount(server.getRouter());
    }

    private void mount(Router router) {
        // Vert.x matches /console and /console/ alike
        router.route(HttpMethod.GET, "/console/").handler(http -> {
            if (http.request().path().endsWith("/")) {
                page(http, "");
            } else {
                http.redirect("/console/");
            }
        });
        router.route(HttpMethod.GET, "/console/:file").handler(http -> page(http, http.pathParam("file")));
        read(router, "/api/plans", api::plans);
        read(router, "/api/plans/:id", api::plan);
        act(router, "/api/plans/:id/cancel", api::cancel);
        read(router, "/api/dead-letters", api::deadLetters);
        act(router, "/api/dead-letters/redrive", api::redriveAll);
        act(router, "/api/dead-letters/:id/redrive", api::redrive);
        read(router, "/api/providers", api::providers);
        act(router, "/api/providers/:name/pause", api::pause);
        act(router, "/api/providers/:name/resume", api::resume);
        router.route("/api/*").handler(http -> answer(http, 404, error("no such API path: " + http.request().path())));
    }

    /** What an API handler does with a request: its status and JSON answer. */
    @FunctionalInterface
    public interface Handling {
        ConsoleApi.Answer handle(ConsoleApi.Request request) throws IOException;
    }

    private void read(Router router, String path, Handling handling) {
        router.route(HttpMethod.GET, path).blockingHandler(guarded(false, handling), false);
        router.route(path).handler(http -> answer(http, 405, error("use GET on " + path)));
    }

    private void act(Router router, String path, Handling handling) {
        router.route(HttpMethod.POST, path).handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                .blockingHandler(guarded(true, handling), false);
        // an action is never done on a GET (a link or an image on another page could send one)
        router.route(path).handler(http -> answer(http, 405, error("an action: use POST on " + path)));
    }

    private Handler<RoutingContext> guarded(boolean action, Handling handling) {
        return http -> {
            ConsoleGuard.Refusal refused = guard.check(http, action);
            if (refused != null) {
                if (refused.status() == 401) {
                    http.response().putHeader("WWW-Authenticate", "Bearer realm=\"scene-pipeline\"");
                }
                answer(http, refused.status(), error(refused.error()));
                return;
            }
            try {
                ConsoleApi.Answer a = handling.handle(new ConsoleApi.Request(http.pathParams(), http.queryParams()::get,
                        action ? body(http) : null, remote(http)));
                answer(http, a.status(), a.body());
            } catch (IllegalArgumentException e) {
                answer(http, 400, error(e.getMessage()));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Console: {} {} failed: {}", http.request().method(), http.request().path(), e.toString());
                answer(http, 500, error("the request failed: " + e.getClass().getSimpleName()));
            }
        };
    }

    private static JsonNode body(RoutingContext http) {
        String text = http.body() == null ? null : http.body().asString();
        if (text == null || text.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (!node.isObject()) {
                throw new IllegalArgumentException("the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
    }

    private static String remote(RoutingContext http) {
        return http.request().remoteAddress() == null ? "?" : http.request().remoteAddress().hostAddress();
    }

    static ObjectNode error(String message) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("error", message);
        return n;
    }

    private static void answer(RoutingContext http, int status, JsonNode body) {
        if (http.response().ended()) {
            return;
        }
        http.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff")
                .end(Json.write(body));
    }

    private void page(RoutingContext http, String file) {
        String type = STATIC.get(file);
        byte[] bytes = type == null ? null : resource(file.isEmpty() ? "index.html" : file);
        if (bytes == null) {
            http.response().setStatusCode(404).end();
            return;
        }
        http.response().putHeader("Content-Type", type).putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer").putHeader("Cache-Control", "no-cache")
                .end(io.vertx.core.buffer.Buffer.buffer(bytes));
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleServer.class.getResourceAsStream("/console/" + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
