package io.scenepipeline.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What one chain of a scene (the visual chain, the narration chain) carries from one call of its steps to the next, in
 * one typed object: the step in progress and whether the journal already had it, the retry component it runs under, and
 * the typed state each part of the pipeline keeps for it (a Replicate prediction, the face_rig server and upload, the
 * retry unit's attempts). The exchange carries it as its one step property ({@link Steps#CALL}); each chain gets its own
 * (a scene's chains run side by side on copies of the scene's exchange), begun by its first step.
 */
public final class StepCall {

    private volatile StepRecord step;
    private volatile boolean reused;
    private volatile String retryComponent;
    /** The typed state of each part, by its class: one object per kind, read back as that type. */
    private final Map<Class<?>, Object> parts = new ConcurrentHashMap<>();

    /** The step in progress (null before the chain's first step). */
    public StepRecord step() {
        return step;
    }

    /** Makes {@code record} the step in progress, to be called (not taken from the journal). */
    void step(StepRecord record) {
        this.step = record;
        this.reused = false;
    }

    /** True when the step in progress was taken from the journal: the routes skip its calls. */
    public boolean reused() {
        return reused;
    }

    public void reused(boolean taken) {
        this.reused = taken;
    }

    /** For the routes: the step in progress has to be called. */
    public boolean toCall() {
        return !reused;
    }

    /** The retry component whose route configuration runs the step's calls (Replicate's steps choose theirs). */
    public String retryComponent() {
        return retryComponent;
    }

    public void retryComponent(String component) {
        this.retryComponent = component;
    }

    /** The state of {@code type} this call keeps, or null. */
    public <T> T part(Class<T> type) {
        return type.cast(parts.get(type));
    }

    /** The state of {@code type} this call keeps, made by {@code create} when it has none yet. */
    public <T> T part(Class<T> type, Supplier<T> create) {
        return type.cast(parts.computeIfAbsent(type, t -> create.get()));
    }

    /** Keeps {@code part} as this call's state of its class (replacing an earlier one). */
    public <T> T keep(T part) {
        parts.put(part.getClass(), part);
        return part;
    }
}
