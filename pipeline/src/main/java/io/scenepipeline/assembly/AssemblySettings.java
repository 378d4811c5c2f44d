package io.scenepipeline.assembly;

import io.scenepipeline.support.SettingsException;
import io.scenepipeline.support.SettingsReader;

import java.util.List;
import java.util.function.Function;

/**
 * The {@code assembly.*} keys: whether and how the scenes become one {@code final.mp4}.
 *
 * @param ffmpeg    {@code assembly.ffmpeg}: a command found on PATH, or a path to the binary
 * @param pipScale  {@code assembly.pip-scale}: the face_rig picture's width as a share of the video's
 * @param pipMargin {@code assembly.pip-margin}: pixels between the picture and the bottom-right corner
 */
public record AssemblySettings(boolean enabled, String ffmpeg, int width, int height, int fps, int crf, String preset,
                               double pipScale, int pipMargin, long timeoutMs) {

    private static final List<String> PRESETS = List.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium",
            "slow", "slower", "veryslow");

    public static AssemblySettings from(Function<String, String> lookup) {
        SettingsReader r = new SettingsReader(lookup);
        double pipScale = r.decimal("assembly.pip-scale", 0.01);
        if (pipScale > 1) {
            throw new SettingsException("assembly.pip-scale: must be at most 1, got " + pipScale);
        }
        int width = r.integer("assembly.width", 16, 7680);
        int height = r.integer("assembly.height", 16, 4320);
        if (width % 2 != 0 || height % 2 != 0) {
            throw new SettingsException("assembly.width and assembly.height: must be even (H.264 4:2:0), got " + width + "x" + height);
        }
        return new AssemblySettings(r.bool("assembly.enabled"), r.required("assembly.ffmpeg"), width, height,
                r.integer("assembly.fps", 1, 120), r.integer("assembly.crf", 0, 51), r.oneOf("assembly.preset", PRESETS), pipScale,
                r.integer("assembly.pip-margin", 0, 1000), r.millis("assembly.timeout", 1000));
    }
}
