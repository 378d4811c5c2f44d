package io.scenepipeline.provider.facerig;

import io.scenepipeline.support.SettingsReader;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The {@code facerig.*} settings of the face_rig pool, read and checked once.
 *
 * @param baseUrls      {@code facerig.base-url}: one or more servers
 * @param maxConcurrent {@code facerig.max-concurrent}: calls at a time per server
 * @param connectTimeoutMs {@code facerig.connect-timeout}: set on the connection pool
 * @param setAside      {@code facerig.set-aside}: how long a server that lost a connection is left out
 */
public record FaceRigSettings(List<URI> baseUrls, int maxConcurrent, long connectTimeoutMs, Duration setAside, String origin) {

    public static FaceRigSettings from(SettingsReader r) {
        return new FaceRigSettings(r.urls("facerig.base-url"), r.integer("facerig.max-concurrent", 1, 100),
                r.millis("facerig.connect-timeout", 1), r.duration("facerig.set-aside"),
                io.scenepipeline.provider.Origin.of(r, r.urls("facerig.base-url").get(0), null));
    }
}
