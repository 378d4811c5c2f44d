package io.scenepipeline.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real PostgreSQL and Artemis as {@code .ci/cluster-services} runs them, stopped and started again for a chaos
 * campaign's real restarts (as root: Debian's {@code pg_ctlcluster}, the broker instance's {@code artemis-service}).
 */
enum Services {
    POSTGRESQL(5432), ARTEMIS(61616);

    private final int port;

    Services(int port) {
        this.port = port;
    }

    void stop() throws IOException, InterruptedException {
        run(command("stop"));
        Waits.until(Duration.ofSeconds(60), () -> !listening(), this + " to stop");
    }

    void start() throws IOException, InterruptedException {
        run(command("start"));
        Waits.until(Duration.ofSeconds(120), this::listening, this + " to listen again");
    }

    private List<String> command(String action) throws IOException, InterruptedException {
        if (this == POSTGRESQL) {
            String[] cluster = output(List.of("pg_lsclusters", "-h")).lines().findFirst().orElseThrow().trim().split("\\s+");
            return action.equals("stop") ? List.of("pg_ctlcluster", cluster[0], cluster[1], "stop", "-m", "fast")
                    : List.of("pg_ctlcluster", cluster[0], cluster[1], "start");
        }
        String dir = System.getenv().getOrDefault("ARTEMIS_DIR", "/var/tmp/scene-pipeline-artemis");
        return List.of(Path.of(dir, "broker", "bin", "artemis-service").toString(), action);
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue());
        }
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
