package io.scenepipeline.cli;

import io.scenepipeline.support.log.Logs;
import io.scenepipeline.config.ClusterSettings;
import io.scenepipeline.config.PipelineConfiguration;
import io.scenepipeline.config.PipelineSettings;
import io.scenepipeline.plan.PlanValidationException;
import io.scenepipeline.provider.Prices;
import io.scenepipeline.run.Budget;
import io.scenepipeline.run.RunStats;
import io.scenepipeline.simulator.ProviderSimulator;
import io.scenepipeline.simulator.SimAccount;
import io.scenepipeline.simulator.SimulatorSettings;
import io.scenepipeline.state.WorkLock;
import io.scenepipeline.support.Causes;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.SettingsException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The scene-pipeline command (docs/settings.md). Boots camel-main with the working directory's settings, and adds
 * only what the CLI needs: {@code --simulate}, {@code --once} and plan files to submit.
 */
public final class ScenePipelineApp {

    static final int EXIT_OK = 0;
    static final int EXIT_SETUP = 1;
    static final int EXIT_DEAD_LETTERED = 2;
    /** {@code --once}: a plan reached neither the outbox nor the dead letters (it resumes at the next start). */
    static final int EXIT_UNFINISHED = 3;

    private ScenePipelineApp() {
    }

    public static void main(String[] args) {
        // logging is set up here, on this thread, before anything else logs: set up concurrently by the warm-up, its
        // first lines (the simulator's "listening on") could meet a half-made configuration and be dropped
        Logs.of(ScenePipelineApp.class).debug("starting");
        preinitialize();
        System.exit(run(args, Path.of("").toAbsolutePath()));
    }

    /**
     * Loads, on a second core while the main thread boots Camel, what startup will need later anyway: the TLS
     * context the HTTP connection pools build, the YAML route loader and the JSON mapper (Spring Boot's background
     * pre-initializer does the same). Purely a warm-up: a failure here changes nothing.
     */
    private static void preinitialize() {
        Thread warm = new Thread(() -> {
            try {
                SSLContext.getDefault();
                Class.forName("org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader");
                Class.forName("org.apache.camel.dsl.yaml.deserializers.ModelDeserializers");
                Class.forName("org.apache.camel.component.http.HttpComponent");
                Json.MAPPER.writeValueAsString(Map.of("warm", 1));
            } catch (Exception | LinkageError e) {
                // startup loads the same classes itself
            }
        }, "preinitialize");
        warm.setDaemon(true);
        warm.start();
    }

    static int run(String[] args, Path workingDirectory) {
        if (args.length > 0 && "ctl".equals(args[0])) {
            try {
                AppProperties props = AppProperties.load(workingDirectory, System.getenv(), System.getProperties());
                return ConsoleClient.run(java.util.Arrays.asList(args).subList(1, args.length), props::get, System.out, System.err);
            } catch (IOException e) {
                System.err.println("scene-pipeline: " + e.getMessage());
                return EXIT_SETUP;
            }
        }
        CliArgs cli;
        try {
            cli = CliArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("scene-pipeline: " + e.getMessage());
            System.err.println(CliArgs.USAGE);
            return EXIT_SETUP;
        }
        if (cli.help()) {
            System.out.println(CliArgs.USAGE);
            return EXIT_OK;
        }
        if (cli.version()) {
            System.out.println(CliArgs.versionLine());
            return EXIT_OK;
        }
        for (Path plan : cli.plans()) {
            // said before anything starts (the simulator, the work folder's lock)
            if (!Files.isRegularFile(plan)) {
                System.err.println("scene-pipeline: no plan file " + plan + (Files.exists(plan) ? " (not a regular file)" : ""));
                return EXIT_SETUP;
            }
        }
        ProviderSimulator simulator = null;
        try {
            AppProperties props = AppProperties.load(workingDirectory, System.getenv(), System.getProperties());
            if (cli.simulate()) {
                pointAt(props, "http://127.0.0.1");
                props.set("replicate.api-token", "simulator-token");
                props.set("elevenlabs.api-key", "simulator-key");
                // the simulator's outputs are keyed apart (never reused by a run against the real providers), in a work
                // folder of their own unless one is named for it
                props.set(io.scenepipeline.provider.Origin.SIMULATED, "true");
                props.set("pipeline.work", props.get("simulator.work"));
            }
            if (cli.estimate()) {
                // an estimate calls no provider: it needs no keys
                for (String key : new String[] {"replicate.api-token", "elevenlabs.api-key"}) {
                    if (props.get(key) == null || props.get(key).isBlank()) {
                        props.set(key, "not-needed-for-an-estimate");
                    }
                }
            }
            // every bad or missing setting at once, each with its key
            List<String> problems = io.scenepipeline.config.SettingsCheck.problems(props::get);
            if (problems.size() > 1) {
                throw new StartupException(problems.size() + " settings to fix:\n  " + String.join("\n  ", problems));
            }
            PipelineSettings settings = PipelineSettings.from(props::get);
            boolean cluster = ClusterSettings.from(props::get, settings.folders().work()) != null;
            if (cluster) {
                props.set("camel.main.routes-include-pattern", ClusterSettings.routes(props.get("camel.main.routes-include-pattern")));
            }
            if (cli.once() && cluster) {
                // a node cannot tell when the cluster's queue is done: it would stop with plans still in flight elsewhere
                throw new StartupException("--once is for the single-process mode; in cluster mode (pipeline.cluster.broker-url"
                        + " and pipeline.journal.jdbc-url set) a node runs until it is stopped");
            }
            if (cli.estimate()) {
                return Estimate.run(cli.plans(), settings, Prices.of(props::get, settings.elevenlabs().model()),
                        Budget.parse(props.get("pipeline.max-cost-per-plan")).maxUsd(), System.out);
            }
            // one process per work folder: held until this process ends (the kernel releases it even on kill -9)
            WorkLock.acquire(settings.folders().work(), props.get("pipeline.work"));
            // Vert.x (the management server) keeps its file cache in the work folder too, not in java.io.tmpdir
            System.setProperty("vertx.cacheDirBase", settings.folders().work().resolve("tmp").resolve("vertx").toAbsolutePath().toString());
            ManagementPort.checkFree(props::get);
            if (!cli.simulate()) {
                // before anything is paid: a real run's providers can be reached (face_rig above all)
                ProviderReach.check(settings);
            }
            if (cli.simulate()) {
                simulator = ProviderSimulator.start(simulatorSettings(props));
                simulator.account(simulatorAccount(props));
                pointAt(props, simulator.baseUrl());
                props.set("facerig.base-url", String.join(",", simulator.faceRigUrls()));
            }
            submit(cli, settings.folders().inbox());
            return runCamel(cli, props);
        } catch (SettingsException e) {
            System.err.println("scene-pipeline: bad setting " + e.getMessage());
            return EXIT_SETUP;
        } catch (WorkLock.BusyException | StartupException e) {
            System.err.println("scene-pipeline: " + e.getMessage());
            return EXIT_SETUP;
        } catch (PlanValidationException e) {
            System.err.println("scene-pipeline: " + e.getMessage());
            return EXIT_DEAD_LETTERED;
        } catch (NoSuchFileException e) {
            System.err.println("scene-pipeline: no such file " + e.getFile());
            return EXIT_SETUP;
        } catch (IOException e) {
            System.err.println("scene-pipeline: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return EXIT_SETUP;
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    private static int runCamel(CliArgs cli, AppProperties props) {
        RunStats stats = new RunStats();
        Main main = new Main();
        main.setOverrideProperties(props.effective());
        // the values above already carry the environment variables' overrides, and -D beats them there; Camel's own
        // default (an environment variable over everything) would make a route see another value than the code
        main.addOverrideProperty("camel.component.properties.environment-variable-mode", "1");
        main.bind(PipelineConfiguration.RUN_STATS, stats);
        ManagementPort.Listener management = new ManagementPort.Listener(main, props::get);
        main.addMainListener(management);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport support) {
                Logs.of(ScenePipelineApp.class).info("Watching {} for plans{}", props.get("pipeline.inbox"),
                        cli.once() ? " (until it is empty)" : " (Ctrl-C to stop)");
            }
        });
        OnceWatcher watcher = cli.once() ? new OnceWatcher(main) : null;
        if (watcher != null) {
            main.addMainListener(watcher);
        }
        try {
            main.run();
        } catch (Exception e) {
            throw new StartupException("could not start: " + rootMessage(e));
        }
        if (management.failure() != null) {
            throw new StartupException(management.failure());
        }
        if (main.getCamelContext() == null && watcher != null && !watcher.started()) {
            throw new StartupException("could not start (see the log above)");
        }
        if (watcher != null && watcher.failure() != null) {
            throw new StartupException(watcher.failure());
        }
        if (watcher != null && !watcher.started()) {
            throw new StartupException("could not start (see the log above)");
        }
        if (watcher != null && !watcher.unfinished().isEmpty()) {
            return EXIT_UNFINISHED;
        }
        if (watcher != null && watcher.failure() != null) {
            throw new StartupException(watcher.failure());
        }
        return stats.deadLetteredCount() > 0 ? EXIT_DEAD_LETTERED : EXIT_OK;
    }

    /** Copies each plan file into the inbox under a temporary name, then renames it (the inbox never sees half a file). */
    static void submit(CliArgs cli, Path inbox) throws IOException {
        if (cli.plans().isEmpty()) {
            return;
        }
        Files.createDirectories(inbox);
        for (Path plan : cli.plans()) {
            if (!Files.isRegularFile(plan)) {
                throw new StartupException("no plan file " + plan + (Files.exists(plan) ? " (not a regular file)" : ""));
            }
            Path target = inbox.resolve(plan.getFileName().toString());
            Path tmp = inbox.resolve("." + plan.getFileName() + ".submitting");
            Files.copy(plan, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void pointAt(AppProperties props, String baseUrl) {
        for (String key : new String[] {"replicate.base-url", "elevenlabs.base-url", "facerig.base-url"}) {
            props.set(key, baseUrl);
        }
    }

    private static SimulatorSettings simulatorSettings(AppProperties props) {
        try {
            return new SimulatorSettings(Long.parseLong(props.get("simulator.prediction-ms")),
                    Long.parseLong(props.get("simulator.latency-ms")), Double.parseDouble(props.get("simulator.fault-rate")),
                    Long.parseLong(props.get("simulator.file-ttl")), Long.parseLong(props.get("simulator.stall-ms")))
                    .withFaceRigServers(Integer.parseInt(props.get("simulator.facerig-servers")));
        } catch (NumberFormatException | NullPointerException e) {
            throw new SettingsException("simulator.*: prediction-ms, latency-ms, file-ttl, stall-ms and facerig-servers must be whole numbers and fault-rate a number (" + e.getMessage() + ")");
        }
    }

    private static SimAccount simulatorAccount(AppProperties props) {
        try {
            return SimAccount.from(props::get);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(e.getMessage());
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        for (Throwable cause : Causes.of(e)) {
            t = cause;
            if (cause instanceof SettingsException) {
                break;
            }
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** A failure to start, reported as one line. */
    static final class StartupException extends RuntimeException {
        StartupException(String message) {
            super(message);
        }
    }
}
