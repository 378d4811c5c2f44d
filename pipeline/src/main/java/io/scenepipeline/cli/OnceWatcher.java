package io.scenepipeline.cli;

import io.scenepipeline.config.PipelineSettings;
import io.scenepipeline.state.PlanRecovery;
import io.scenepipeline.support.ShownPath;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code --once}: after startup, ends the run when the inbox holds no plan file and no plan is in flight (seen
 * twice in a row, so a file being renamed into the inbox is not missed); afterwards it names the plans left unfinished.
 */
final class OnceWatcher extends MainListenerSupport {

    private static final long CHECK_MS = 250;

    private final Main main;
    private volatile boolean started;
    private volatile String failure;
    private volatile Path inflight;

    OnceWatcher(Main main) {
        this.main = main;
    }

    boolean started() {
        return started;
    }

    String failure() {
        return failure;
    }

    @Override
    public void afterStart(BaseMainSupport support) {
        started = true;
        CamelContext context = main.getCamelContext();
        PipelineSettings settings = context.getRegistry().lookupByNameAndType("pipelineSettings", PipelineSettings.class);
        inflight = PlanRecovery.inflight(settings.folders().work());
        Thread t = new Thread(() -> watch(context, settings.folders().inbox()), "once-watcher");
        t.setDaemon(true);
        t.start();
    }

    private void watch(CamelContext context, Path inbox) {
        int idle = 0;
        try {
            while (idle < 2) {
                Thread.sleep(CHECK_MS);
                boolean busy = context.getInflightRepository().size() > 0 || hasPlans(inbox);
                idle = busy ? 0 : idle + 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            failure = "cannot read the inbox " + inbox + ": " + e.getMessage();
        }
        main.completed();
    }

    /**
     * After the run: the plans that reached neither the outbox nor the dead letters (a stop cut them off, or their
     * dead letter could not be kept), each said in one line; they resume at the next start.
     */
    List<String> unfinished() {
        if (inflight == null || !Files.isDirectory(inflight)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(inflight)) {
            List<String> plans = files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
            Logger log = Logs.of(OnceWatcher.class);
            for (String name : plans) {
                log.error("plan={} Not finished: neither in the outbox nor dead-lettered; it stays in {} and resumes at the next start",
                        name.endsWith(".json") ? name.substring(0, name.length() - 5) : name, ShownPath.of(inflight.resolve(name)));
            }
            return plans;
        } catch (IOException e) {
            failure = "cannot read the plans in flight in " + inflight + ": " + e.getMessage();
            return List.of();
        }
    }

    private static boolean hasPlans(Path inbox) throws IOException {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.anyMatch(p -> {
                String name = p.getFileName().toString();
                return !name.startsWith(".") && name.toLowerCase(Locale.ROOT).endsWith(".json") && Files.isRegularFile(p);
            });
        }
    }
}
