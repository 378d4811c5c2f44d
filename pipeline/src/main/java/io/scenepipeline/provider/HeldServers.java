package io.scenepipeline.provider;

import io.scenepipeline.run.Steps;
import org.apache.camel.Exchange;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The servers a chain holds a slot on, by pool ({@link ServerSlots}: the face_rig servers, the ElevenLabs account), kept
 * by its {@link io.scenepipeline.run.StepCall}; and the pools that already give the slot back however the exchange ends.
 */
public final class HeldServers {

    private final Map<String, String> urls = new ConcurrentHashMap<>();
    private final Set<String> guarded = ConcurrentHashMap.newKeySet();

    static HeldServers of(Exchange exchange) {
        return Steps.call(exchange).part(HeldServers.class, HeldServers::new);
    }

    /** The base URL of the server the exchange's chain holds in {@code pool}, or null. */
    public static String url(Exchange exchange, String pool) {
        return of(exchange).url(pool);
    }

    /** The base URL of the server held in {@code pool}, or null. */
    String url(String pool) {
        return urls.get(pool);
    }

    void hold(String pool, String url) {
        urls.put(pool, url);
    }

    void free(String pool) {
        urls.remove(pool);
    }

    /** True the first time only: the caller then sees to the slot's return when the exchange ends. */
    boolean guard(String pool) {
        return guarded.add(pool);
    }
}
