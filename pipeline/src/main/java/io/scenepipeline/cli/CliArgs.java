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
record CliArgs(boolean simulate, boolean once, boolean help, boolean estimate, List<Path> plans) {

    static final String USAGE = """
            usage: java -jar scene-pipeline.jar [--simulate] [--once] [plan.json ...]
                   java -jar scene-pipeline.jar --estimate plan.json ...
                   java -jar scene-pipeline.jar ctl plans|cancel|redrive|pause|resume ...   (the running service; ctl alone: help)
              --simulate  run against the built-in provider simulator (no API keys needed)
              --once      process what is in the inbox, then exit (0 all succeeded, 2 some dead-lettered, 1 setup error)
              --estimate  what the plans would cost by the price table, calling no provider (0 fits the budget, 2 not)
              plan.json   plan files to copy into the inbox before processing starts
            Settings: application.properties in the working directory, and -Dkey=value before -jar.""";

    static CliArgs parse(String[] args) {
        boolean simulate = false;
        boolean once = false;
        boolean help = false;
        boolean estimate = false;
        List<Path> plans = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "--simulate" -> simulate = true;
                case "--once" -> once = true;
                case "--help", "-h" -> help = true;
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
        return new CliArgs(simulate, once, help, estimate, List.copyOf(plans));
    }
}
