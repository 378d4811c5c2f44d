package io.scenepipeline.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the provider simulator on its own, outside the pipeline, so it outlives a pipeline process (crash tests,
 * demos of resume):
 * <pre>java -cp target/scene-pipeline.jar io.scenepipeline.simulator.SimulatorMain</pre>
 * Settings as -D system properties ({@code simulator.prediction-ms}, {@code simulator.latency-ms},
 * {@code simulator.fault-rate}, {@code simulator.file-ttl}, {@code simulator.stall-ms}, {@code simulator.latency.<kind>},
 * {@code simulator.fast-media}, {@code simulator.clip-bytes}, and the account's limits of {@link SimAccount#from}). It prints its base URL on a line of its own; {@code GET <base>/_simulator/requests} returns request counts.
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    /** The base URL a simulator process started with this class prints (read from its output). */
    public static String baseUrlOf(Process simulator) throws IOException {
        BufferedReader lines = new BufferedReader(
                new InputStreamReader(simulator.getInputStream(), StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("http://")) {
                return line.trim();
            }
        }
        throw new IOException("the simulator ended without printing its URL");
    }

    /** {@code -Dsimulator.latency.<kind>=ms} for kind in image, video, tts, upload, align, emotions, export. */
    static Map<String, Long> latencies() {
        Map<String, Long> out = new HashMap<>();
        for (String kind : new String[] {"image", "video", "tts", "upload", "align", "emotions", "export"}) {
            Long v = Long.getLong("simulator.latency." + kind);
            if (v != null) {
                out.put(kind, v);
            }
        }
        return out;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        SimulatorSettings d = SimulatorSettings.defaults();
        SimulatorSettings settings = new SimulatorSettings(
                Long.getLong("simulator.prediction-ms", d.predictionMs()),
                Long.getLong("simulator.latency-ms", d.latencyMs()),
                Double.parseDouble(System.getProperty("simulator.fault-rate", String.valueOf(d.faultRate()))),
                Long.getLong("simulator.file-ttl", d.fileTtlMs()),
                Long.getLong("simulator.stall-ms", d.stallMs()), latencies(), Boolean.getBoolean("simulator.fast-media"),
                Long.getLong("simulator.clip-bytes", 0), Integer.getInteger("simulator.facerig-servers", 1));
        ProviderSimulator simulator = ProviderSimulator.start(settings);
        simulator.account(SimAccount.from(System::getProperty));
        System.out.println(simulator.baseUrl());
        if (settings.faceRigServers() > 1) {
            System.out.println("facerig.base-url=" + String.join(",", simulator.faceRigUrls()));
        }
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
