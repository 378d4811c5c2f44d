package io.scenepipeline.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Readiness {@code folders}: down when a folder the pipeline writes to (inbox, outbox, dead letter, work) is missing
 * or not writable. It creates and deletes a small probe file, which is what a plan needs to do there.
 */
public final class FoldersHealthCheck extends AbstractHealthCheck {

    private final Map<String, Path> folders;

    public FoldersHealthCheck(Map<String, Path> folders) {
        super("scene-pipeline", "folders");
        this.folders = new LinkedHashMap<>(folders);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> broken = new ArrayList<>();
        folders.forEach((key, folder) -> {
            if (!writable(folder)) {
                broken.add(key + " (" + folder + ")");
            }
        });
        if (broken.isEmpty()) {
            builder.up();
        } else {
            builder.detail("not_writable", String.join(", ", broken));
            builder.message("Not writable: " + String.join(", ", broken)).down();
        }
    }

    static boolean writable(Path folder) {
        try {
            Path probe = Files.createTempFile(folder, ".health-", ".probe");
            Files.delete(probe);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
