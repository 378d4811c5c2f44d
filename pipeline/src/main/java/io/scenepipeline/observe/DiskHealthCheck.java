package io.scenepipeline.observe;

import io.scenepipeline.provider.DiskRoom;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Readiness {@code disk}: down while a folder the pipeline writes to has less free space than
 * {@code pipeline.disk-reserve} (the message names the folder and the space); up again by itself when there is room.
 */
public final class DiskHealthCheck extends AbstractHealthCheck {

    private final DiskRoom room;

    public DiskHealthCheck(DiskRoom room) {
        super("scene-pipeline", "disk");
        this.room = room;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        DiskRoom.Shortage s = room.shortage();
        if (s == null) {
            builder.up();
        } else {
            builder.detail("waiting_calls", room.waitingCalls());
            builder.message("Disk space is short: " + room.describe(s) + "; new plans and paid calls wait").down();
        }
    }
}
