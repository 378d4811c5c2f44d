package io.scenepipeline.simulator;

/**
 * @param predictionMs how long a prediction runs before it ends
 * @param latencyMs    fixed extra latency on every request
 * @param faultRate    share of requests (0..1) that fail with a random transient fault
 * @param fileTtlMs    how long output files stay downloadable
 * @param stallMs      how long a {@code stall} fault holds the answer back
 */
public record SimulatorSettings(long predictionMs, long latencyMs, double faultRate, long fileTtlMs, long stallMs) {

    public static SimulatorSettings defaults() {
        return new SimulatorSettings(3000, 0, 0.0, 3_600_000, 70_000);
    }
}
