package io.scenepipeline.config;

import io.scenepipeline.provider.replicate.ReplicateWebhooks;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the pipeline serves on Camel's management server ({@code camel.management.port}) beside health and metrics:
 * {@code POST /webhooks/replicate}, where Replicate's webhooks arrive ({@code replicate.webhook-url}). Once Camel has
 * started, the account's signing secret is asked of Replicate unless it is configured (every 30 s until it answers).
 */
final class ManagementRoutes implements StartupListener {

    static final String REPLICATE_WEBHOOKS = "/webhooks/replicate";
    private static final Logger LOG = Logs.of(ManagementRoutes.class);
    private static final int MAX_BODY = 16 << 20;
    private static final long SECRET_RETRY_S = 30;

    private final ReplicateWebhooks webhooks;

    ManagementRoutes(ReplicateWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // nothing before every route has started
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        VertxPlatformHttpRouter router = server == null ? null : server.getRouter();
        if (router == null) {
            LOG.error("replicate.webhook-url is set but the management server is off (camel.management.enabled): no webhook can "
                    + "arrive; predictions are polled every replicate.webhook-sweep");
            return;
        }
        router.route(HttpMethod.POST, REPLICATE_WEBHOOKS).handler(BodyHandler.create().setBodyLimit(MAX_BODY)).handler(this::replicate);
        if (!webhooks.ready()) {
            ScheduledExecutorService once = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "webhook-secret");
            ProducerTemplate producer = context.createProducerTemplate();
            once.execute(() -> askSecret(context, producer, once, true));
        }
    }

    private void replicate(RoutingContext http) {
        ReplicateWebhooks.Outcome outcome = webhooks.receive(http.request().getHeader("webhook-id"),
                http.request().getHeader("webhook-timestamp"), http.request().getHeader("webhook-signature"),
                http.body() == null || http.body().buffer() == null ? new byte[0] : http.body().buffer().getBytes());
        http.response().setStatusCode(outcome.status()).putHeader("Content-Type", "application/json")
                .end("{\"outcome\":\"" + outcome.name().toLowerCase(java.util.Locale.ROOT) + "\"}");
    }

    private void askSecret(CamelContext context, ProducerTemplate producer, ScheduledExecutorService once, boolean first) {
        if (!context.getStatus().isStarted()) {
            once.shutdown();
            return;
        }
        try {
            producer.requestBody("direct:replicate-webhook-secret", (Object) null);
            once.shutdown();
        } catch (RuntimeException e) {
            if (first) {
                LOG.warn("Replicate webhooks: cannot get the account's signing secret ({}); asking again every {} s, predictions are "
                        + "polled meanwhile (or set replicate.webhook-secret)", e.getCause() == null ? e.getMessage() : e.getCause().getMessage(),
                        SECRET_RETRY_S);
            }
            once.schedule(() -> askSecret(context, producer, once, false), SECRET_RETRY_S, TimeUnit.SECONDS);
        }
    }
}
