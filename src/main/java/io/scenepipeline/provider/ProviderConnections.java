package io.scenepipeline.provider;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * One HTTP connection pool per provider, shared by every endpoint of that provider: its size is the provider's
 * concurrency limit ({@code replicate.max-concurrent}, {@code elevenlabs.max-concurrent}, {@code facerig.max-concurrent}).
 * A call beyond the limit waits in the pool's queue for a free connection (up to the endpoint's
 * {@code connectionRequestTimeout}) instead of failing.
 */
public final class ProviderConnections {

    private ProviderConnections() {
    }

    public static PoolingHttpClientConnectionManager pool(int maxConcurrent, long connectTimeoutMs) {
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(maxConcurrent)
                .setMaxConnPerRoute(maxConcurrent)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                        .build())
                .build();
    }
}
