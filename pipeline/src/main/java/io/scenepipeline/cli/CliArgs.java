package io.scenepipeline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line (docs/settings.md): {@code [--simulate] [--once] [plan.json …]}.
 *
 * @param simulate run against the built-in provider simulator
 * @param once     process what is in the inbox, then exit
 * @param help     print usage
 * @param estimate print what the plan files would cost, call no provider
 * @param plans    plan files to copy into the inbox first
 */
record CliArgs(boolean simulate, boolean once, boolean help, boolean version, boolean estimate, List<Path> plans) {

    static final String USAGE = """
            usage: java -jar scene-pipeline.jar [--simulate] [--once] [plan.json ...]
                   java -jar scene-pipeline.jar --estimate plan.json ...
                   java -jar scene-pipeline.jar ctl plans|plan|cancel|redrive|pause|resume ...   (the running service; ctl alone: its help)
              --simulate  run against the built-in provider simulator (no API keys, no face_rig server needed)
              --once      process what is in the inbox, then exit (0 all succeeded, 2 some dead-lettered, 3 one unfinished, 1 setup error)
              --estimate  what the plans would cost by the price table, calling no provider (0 fits the budget, 2 not)
              --version   the version of scene-pipeline, Camel and Java
              plan.json   plan files to copy into the inbox before processing starts
            Settings, each over the one before: the defaults in the jar, application.properties in the working directory,
            environment variables named after the key (replicate.api-token -> REPLICATE_API_TOKEN, pipeline.inbox ->
            PIPELINE_INBOX), then -Dkey=value before -jar. A real run needs REPLICATE_API_TOKEN, ELEVENLABS_API_KEY and a
            face_rig server (facerig.base-url, or pipeline.face-rig.enabled=false); docs/settings.md lists every key.""";

    static CliArgs parse(String[] args) {
        boolean simulate = false;
        boolean once = false;
        boolean help = false;
        boolean version = false;
        boolean estimate = false;
        List<Path> plans = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "--simulate" -> simulate = true;
                case "--once" -> once = true;
                case "--help", "-h" -> help = true;
                case "--version", "-V" -> version = true;
                case "--estimate" -> estimate = true;
                default -> {
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    plans.add(Path.of(arg));
                }
            }
        }
        if (estimate && plans.isEmpty()) {
            throw new IllegalArgumentException("--estimate needs plan files");
        }
        return new CliArgs(simulate, once, help, version, estimate, List.copyOf(plans));
    }

    /** {@code scene-pipeline 0.1.0 (Apache Camel 4.18.0, Java 17.0.13)}. */
    static String versionLine() {
        java.util.Properties v = new java.util.Properties();
        try (java.io.InputStream in = CliArgs.class.getResourceAsStream("/scene-pipeline-version.properties")) {
            if (in != null) {
                v.load(in);
            }
        } catch (java.io.IOException e) {
            // the names below say "unknown"
        }
        return "scene-pipeline " + v.getProperty("version", "unknown") + " (Apache Camel " + v.getProperty("camel", "unknown")
                + ", Java " + System.getProperty("java.version") + ")";
    }
}
