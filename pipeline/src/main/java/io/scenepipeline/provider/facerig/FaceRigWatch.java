package io.scenepipeline.provider.facerig;

import io.scenepipeline.support.IntakeSwitch;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Before a plan pays for anything, face_rig can be reached: every few seconds each server of {@code facerig.base-url}
 * is connected to (a connection, not {@code /health}: the real server answers nothing while it works on a call, but
 * accepts); while none accepts, new plans wait in the inbox (the intake's consumer paused, as for the breaker or a
 * short disk) instead of paying Replicate and ElevenLabs and then failing at face_rig. Said once each way; readiness
 * {@code facerig} is down meanwhile.
 */
public final class FaceRigWatch {

    private static final Logger LOG = Logs.of(FaceRigWatch.class);
    private static final int CONNECT_MS = 2000;

    private final List<URI> servers;
    private final IntakeSwitch intake;
    private volatile boolean down;

    public FaceRigWatch(List<URI> servers, IntakeSwitch intake) {
        this.servers = List.copyOf(servers);
        this.intake = intake;
    }

    /** Looks every {@code everyMs}, the first time at once. */
    public void start(ScheduledExecutorService timer, long everyMs) {
        timer.scheduleWithFixedDelay(this::look, 0, everyMs, TimeUnit.MILLISECONDS);
    }

    /** True while no face_rig server accepts a connection. */
    public boolean down() {
        return down;
    }

    public String describe() {
        return "no face_rig server answers at " + String.join(", ", servers.stream().map(URI::toString).toList())
                + " (facerig.base-url)";
    }

    void look() {
        boolean reachable = servers.stream().anyMatch(FaceRigWatch::connects);
        if (!reachable && !down) {
            down = true;
            LOG.warn("No face_rig server answers at {} (facerig.base-url): new plans wait in the inbox until one does (start a "
                    + "face_rig server, or set pipeline.face-rig.enabled=false)", String.join(", ", servers.stream().map(URI::toString).toList()));
            intake.pause("face_rig");
        } else if (reachable && down) {
            down = false;
            LOG.info("A face_rig server answers again: taking new plans");
            intake.resume("face_rig");
        }
    }

    /** Whether {@code server} accepts a TCP connection within 2 s (a busy face_rig server does; a stopped one does not). */
    public static boolean connects(URI server) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(server.getHost(), server.getPort() > 0 ? server.getPort()
                    : "https".equalsIgnoreCase(server.getScheme()) ? 443 : 80), CONNECT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
