package io.scenepipeline.simulator;

import java.util.Map;

/**
 * @param predictionMs how long a prediction runs before it ends
 * @param latencyMs    fixed extra latency on every request
 * @param faultRate    share of requests (0..1) that fail with a random transient fault
 * @param fileTtlMs    how long output files stay downloadable
 * @param stallMs      how long a {@code stall} fault holds the answer back
 * @param latencies    per kind of call, overriding the above: {@code image} and {@code video} (how long a prediction
 *                     runs), {@code tts}, {@code upload}, {@code align}, {@code emotions}, {@code export} (ms)
 * @param fastMedia    tiny stand-in media instead of rendered ones (for benchmarks: no encoding cost)
 * @param clipBytes    when &gt; 0, every clip is served as a stream of this many bytes (large-download tests)
 * @param faceRigServers how many face_rig servers to simulate, each on its own port and one call at a time
 */
public record SimulatorSettings(long predictionMs, long latencyMs, double faultRate, long fileTtlMs, long stallMs,
                                Map<String, Long> latencies, boolean fastMedia, long clipBytes, int faceRigServers) {

    public SimulatorSettings(long predictionMs, long latencyMs, double faultRate, long fileTtlMs, long stallMs) {
        this(predictionMs, latencyMs, faultRate, fileTtlMs, stallMs, Map.of(), false, 0, 1);
    }

    public SimulatorSettings(long predictionMs, long latencyMs, double faultRate, long fileTtlMs, long stallMs,
                             Map<String, Long> latencies, boolean fastMedia, long clipBytes) {
        this(predictionMs, latencyMs, faultRate, fileTtlMs, stallMs, latencies, fastMedia, clipBytes, 1);
    }

    /** The same settings with {@code n} simulated face_rig servers. */
    public SimulatorSettings withFaceRigServers(int n) {
        return new SimulatorSettings(predictionMs, latencyMs, faultRate, fileTtlMs, stallMs, latencies, fastMedia, clipBytes, n);
    }

    public static SimulatorSettings defaults() {
        return new SimulatorSettings(3000, 0, 0.0, 3_600_000, 70_000);
    }

    /** Latency of a kind of call, or {@code fallback}. */
    public long latency(String kind, long fallback) {
        return latencies.getOrDefault(kind, fallback);
    }
}
