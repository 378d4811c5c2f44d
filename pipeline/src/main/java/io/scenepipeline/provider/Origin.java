package io.scenepipeline.provider;

import io.scenepipeline.support.SettingsReader;

import java.net.URI;

/**
 * Where a step's output comes from, as its journal key knows it: an output is reused only by a run against the same
 * origin. The built-in simulator ({@code --simulate}) is the origin {@code simulator}, so that its placeholder media are
 * never taken for a real provider's; another base URL than the provider's own API (a proxy, a standalone simulator, a
 * test server) is its origin; the provider's own API adds nothing to the key, so that journals made before origins
 * were kept go on being reused.
 */
public final class Origin {

    /** Set by {@code --simulate}: every provider is the built-in simulator. */
    public static final String SIMULATED = "pipeline.simulated";
    /** What {@code --simulate} keys its outputs by. */
    public static final String SIMULATOR = "simulator";

    private Origin() {
    }

    /**
     * @param official the host of the provider's own API ({@code api.replicate.com}), or null for a server the user runs
     *                 (face_rig), which only the simulator sets apart
     * @return the origin to key outputs by, or null for the provider's own API
     */
    public static String of(SettingsReader r, URI baseUrl, String official) {
        if ("true".equalsIgnoreCase(r.lookup().apply(SIMULATED))) {
            return SIMULATOR;
        }
        if (official == null || official.equalsIgnoreCase(baseUrl.getHost())) {
            return null;
        }
        return baseUrl.getScheme() + "://" + baseUrl.getAuthority();
    }

    /** The key inputs with their origin added, when there is one. */
    public static java.util.Map<String, Object> keyed(java.util.Map<String, Object> inputs, String origin) {
        if (origin != null) {
            inputs.put("origin", origin);
        }
        return inputs;
    }
}
