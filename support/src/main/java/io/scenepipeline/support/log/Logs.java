package io.scenepipeline.support.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's loggers, one per area (docs/operations.md, "Logs"): {@code scene-pipeline.<package>}, such as
 * {@code scene-pipeline.provider.replicate}, {@code scene-pipeline.retry}, {@code scene-pipeline.lifecycle}. All are
 * children of {@code scene-pipeline}, so one line in {@code log4j2.properties} turns one area up or down.
 */
public final class Logs {

    private static final String ROOT_PACKAGE = "io.scenepipeline";

    private Logs() {
    }

    public static Logger of(Class<?> type) {
        String pkg = type.getPackageName();
        return LoggerFactory.getLogger("scene-pipeline" + (pkg.startsWith(ROOT_PACKAGE) ? pkg.substring(ROOT_PACKAGE.length()) : ""));
    }
}
