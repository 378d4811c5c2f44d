package io.scenepipeline.assembly;

import io.scenepipeline.config.SettingsException;

import java.util.Locale;
import java.util.Set;
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

    private static final Set<String> PRESETS = Set.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium",
            "slow", "slower", "veryslow");

    public static AssemblySettings from(Function<String, String> props) {
        String preset = text(props, "assembly.preset", "veryfast").toLowerCase(Locale.ROOT);
        if (!PRESETS.contains(preset)) {
            throw new SettingsException("assembly.preset: must be one of x264's presets (ultrafast … veryslow), got '" + preset + "'");
        }
        double pipScale = number(props, "assembly.pip-scale", "0.25");
        if (!(pipScale > 0 && pipScale <= 1)) {
            throw new SettingsException("assembly.pip-scale: must be above 0 and at most 1, got " + pipScale);
        }
        int width = whole(props, "assembly.width", "1280", 16, 7680);
        int height = whole(props, "assembly.height", "720", 16, 4320);
        if (width % 2 != 0 || height % 2 != 0) {
            throw new SettingsException("assembly.width and assembly.height: must be even (H.264 4:2:0), got " + width + "x" + height);
        }
        return new AssemblySettings(Boolean.parseBoolean(text(props, "assembly.enabled", "true")), text(props, "assembly.ffmpeg", "ffmpeg"),
                width, height, whole(props, "assembly.fps", "24", 1, 120), whole(props, "assembly.crf", "23", 0, 51), preset, pipScale,
                whole(props, "assembly.pip-margin", "20", 0, 1000), whole(props, "assembly.timeout", "1800000", 1000, Integer.MAX_VALUE));
    }

    private static String text(Function<String, String> props, String key, String fallback) {
        String v = props.apply(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int whole(Function<String, String> props, String key, String fallback, int min, int max) {
        String v = text(props, key, fallback);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new SettingsException(key + ": must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SettingsException(key + ": must be a whole number, got '" + v + "'");
        }
    }

    private static double number(Function<String, String> props, String key, String fallback) {
        String v = text(props, key, fallback);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new SettingsException(key + ": must be a number, got '" + v + "'");
        }
    }
}
