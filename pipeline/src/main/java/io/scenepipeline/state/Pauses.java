package io.scenepipeline.state;

import java.time.Instant;
import java.util.Map;

/**
 * Providers an operator paused (the console, {@code POST /api/providers/{name}/pause}): no new call goes to a paused
 * provider; calls running finish; steps that would call it wait until it is resumed. Cluster mode keeps the pauses in
 * the journal's database, so a pause holds on every node.
 */
public interface Pauses {

    /** The providers that can be paused, by the names the console and the API use. */
    java.util.List<String> PROVIDERS = java.util.List.of("replicate", "elevenlabs", "facerig");

    /** Who paused a provider, and when. */
    record Pause(String provider, String by, Instant at) {
    }

    /** The pause of {@code provider} (a step's provider name: {@code replicate}, {@code elevenlabs}, {@code face_rig}), or null. */
    Pause of(String provider);

    /** Every pause in force, by provider. */
    Map<String, Pause> all();

    /** Pauses {@code provider} (the name in {@link #PROVIDERS}); pausing a paused provider keeps the first pause. */
    Pause pause(String provider, String by);

    /** Resumes {@code provider}; true when it was paused. */
    boolean resume(String provider);

    /** The console's name of a step's provider ({@code face_rig} → {@code facerig}). */
    static String name(String provider) {
        return provider == null ? null : provider.replace("_", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** Pauses kept in this process (the single-process mode). */
    static Pauses inMemory() {
        return new Pauses() {
            private final java.util.concurrent.ConcurrentHashMap<String, Pause> pauses = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public Pause of(String provider) {
                return pauses.get(name(provider));
            }

            @Override
            public Map<String, Pause> all() {
                return Map.copyOf(pauses);
            }

            @Override
            public Pause pause(String provider, String by) {
                return pauses.computeIfAbsent(name(provider), p -> new Pause(p, by, Instant.now()));
            }

            @Override
            public boolean resume(String provider) {
                return pauses.remove(name(provider)) != null;
            }
        };
    }
}
