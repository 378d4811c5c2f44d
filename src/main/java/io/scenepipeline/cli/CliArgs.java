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
 * @param plans    plan files to copy into the inbox first
 */
record CliArgs(boolean simulate, boolean once, boolean help, List<Path> plans) {

    static final String USAGE = """
            usage: java -jar scene-pipeline.jar [--simulate] [--once] [plan.json ...]
              --simulate  run against the built-in provider simulator (no API keys needed)
              --once      process what is in the inbox, then exit (0 all succeeded, 2 some dead-lettered, 1 setup error)
              plan.json   plan files to copy into the inbox before processing starts
            Settings: application.properties in the working directory, and -Dkey=value before -jar.""";

    static CliArgs parse(String[] args) {
        boolean simulate = false;
        boolean once = false;
        boolean help = false;
        List<Path> plans = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "--simulate" -> simulate = true;
                case "--once" -> once = true;
                case "--help", "-h" -> help = true;
                default -> {
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    plans.add(Path.of(arg));
                }
            }
        }
        return new CliArgs(simulate, once, help, List.copyOf(plans));
    }
}
