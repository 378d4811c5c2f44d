package io.scenepipeline.config;

import io.scenepipeline.observe.DiskHealthCheck;
import io.scenepipeline.provider.DiskRoom;
import io.scenepipeline.support.IntakeSwitch;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.Registry;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/** Disk space as a resource ({@link DiskRoom}): bound as {@code diskRoom}, with its readiness check {@code disk}. */
final class DiskWiring {

    /** A bean of this name ({@code ToLongFunction<Path>}) measures free space instead of the file system's usable space. */
    static final String PROBE = "diskSpaceProbe";

    private DiskWiring() {
    }

    @SuppressWarnings("unchecked")
    static DiskRoom bind(CamelContext context, Object owner, PipelineSettings settings, Path artifacts, IntakeSwitch intake) {
        Map<String, Path> folders = new LinkedHashMap<>();
        folders.put("pipeline.work", settings.folders().work());
        folders.put("pipeline.outbox", settings.folders().outbox());
        folders.put("pipeline.dead-letter", settings.folders().deadLetter());
        if (artifacts != null) {
            folders.put("pipeline.artifacts", artifacts);
        }
        Registry registry = context.getRegistry();
        ToLongFunction<Path> free = folder -> {
            ToLongFunction<Path> probe = registry.lookupByNameAndType(PROBE, ToLongFunction.class);
            return probe != null ? probe.applyAsLong(folder) : DiskRoom.usableSpace(folder);
        };
        ExecutorServiceManager executors = context.getExecutorServiceManager();
        DiskRoom room = new DiskRoom(folders, settings.limits().diskReserveBytes(), free, intake,
                executors.newCachedThreadPool(owner, "disk-room"));
        room.start(executors.newSingleThreadScheduledExecutor(owner, "disk-look"), 1000);
        registry.bind("diskRoom", room);
        registry.bind("disk-health-check", new DiskHealthCheck(room));
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(registry.lookupByName("disk-health-check"));
        }
        return room;
    }

    /**
     * With face_rig on: new plans wait in the inbox while no face_rig server accepts a connection (looked at every
     * {@code facerig.watch-interval}), readiness {@code facerig} down meanwhile.
     */
    static void faceRig(CamelContext context, Object owner, PipelineSettings settings, IntakeSwitch intake, long everyMs) {
        if (!settings.steps().faceRigEnabled()) {
            return;
        }
        io.scenepipeline.provider.facerig.FaceRigWatch watch = new io.scenepipeline.provider.facerig.FaceRigWatch(
                settings.facerig().baseUrls(), intake);
        watch.start(context.getExecutorServiceManager().newSingleThreadScheduledExecutor(owner, "facerig-watch"), everyMs);
        io.scenepipeline.observe.FaceRigHealthCheck check = new io.scenepipeline.observe.FaceRigHealthCheck(watch);
        context.getRegistry().bind("facerig-health-check", check);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(check);
        }
    }
}
