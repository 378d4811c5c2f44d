package io.scenepipeline.cli;

import io.scenepipeline.config.PipelineSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code --once}: after startup, ends the run when the inbox holds no plan file and no plan is in flight (seen
 * twice in a row, so a file being renamed into the inbox is not missed).
 */
final class OnceWatcher extends MainListenerSupport {

    private static final long CHECK_MS = 250;

    private final Main main;
    private volatile boolean started;
    private volatile String failure;

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

    private static boolean hasPlans(Path inbox) throws IOException {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.anyMatch(p -> {
                String name = p.getFileName().toString();
                return !name.startsWith(".") && name.toLowerCase(Locale.ROOT).endsWith(".json") && Files.isRegularFile(p);
            });
        }
    }
}
