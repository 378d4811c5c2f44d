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

    /**
     * @param total    connections in all
     * @param perRoute connections to one host (a face_rig server)
     */
    public static PoolingHttpClientConnectionManager pool(int total, int perRoute, long connectTimeoutMs) {
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(total)
                .setMaxConnPerRoute(perRoute)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                        .build())
                .build();
    }
}
