package io.scenepipeline.simulator;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the provider simulator on its own, outside the pipeline, so it outlives a pipeline process (crash tests,
 * demos of resume):
 * <pre>java -cp target/scene-pipeline.jar io.scenepipeline.simulator.SimulatorMain</pre>
 * Settings as -D system properties ({@code simulator.prediction-ms}, {@code simulator.latency-ms},
 * {@code simulator.fault-rate}, {@code simulator.file-ttl}, {@code simulator.stall-ms}). It prints its base URL on the
 * first line of standard output; {@code GET <base>/_simulator/requests} returns request counts.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        SimulatorSettings d = SimulatorSettings.defaults();
        SimulatorSettings settings = new SimulatorSettings(
                Long.getLong("simulator.prediction-ms", d.predictionMs()),
                Long.getLong("simulator.latency-ms", d.latencyMs()),
                Double.parseDouble(System.getProperty("simulator.fault-rate", String.valueOf(d.faultRate()))),
                Long.getLong("simulator.file-ttl", d.fileTtlMs()),
                Long.getLong("simulator.stall-ms", d.stallMs()));
        ProviderSimulator simulator = ProviderSimulator.start(settings);
        System.out.println(simulator.baseUrl());
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
