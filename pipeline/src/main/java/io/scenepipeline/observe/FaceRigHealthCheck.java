package io.scenepipeline.observe;

import io.scenepipeline.provider.facerig.FaceRigWatch;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Readiness {@code facerig}: down while no face_rig server accepts a connection (new plans wait in the inbox). */
public final class FaceRigHealthCheck extends AbstractHealthCheck {

    private final FaceRigWatch watch;

    public FaceRigHealthCheck(FaceRigWatch watch) {
        super("scene-pipeline", "facerig");
        this.watch = watch;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (watch.down()) {
            builder.message(watch.describe() + "; new plans wait in the inbox").down();
        } else {
            builder.up();
        }
    }
}
