package io.scenepipeline.app;

import io.scenepipeline.simulator.ProviderSimulator;
import io.scenepipeline.simulator.SimulatorSettings;

import java.io.IOException;
import java.util.Properties;

/**
 * An in-process simulator for a test class whose providers it stands in for. Started the first time it is asked for
 * (the test's settings are made in {@code configureContext}, before any {@code @BeforeEach}), closed by the test.
 */
final class SimulatorFixture {

    private final SimulatorSettings settings;
    private ProviderSimulator simulator;

    SimulatorFixture(SimulatorSettings settings) {
        this.settings = settings;
    }

    synchronized ProviderSimulator get() {
        if (simulator == null) {
            try {
                simulator = ProviderSimulator.start(settings);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return simulator;
    }

    synchronized void close() {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }

    /** All three providers on the simulator (face_rig on each of its servers). */
    Properties providers() {
        Properties p = new Properties();
        ProviderSimulator sim = get();
        p.setProperty("replicate.base-url", sim.baseUrl());
        p.setProperty("elevenlabs.base-url", sim.baseUrl());
        p.setProperty("facerig.base-url", String.join(",", sim.faceRigUrls()));
        return p;
    }
}
