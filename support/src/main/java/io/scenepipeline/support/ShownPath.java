package io.scenepipeline.support;

import java.nio.file.Path;

/** A path as the user configured it: relative to the working directory when it lies inside it. */
public final class ShownPath {

    private ShownPath() {
    }

    public static Path of(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(cwd) && !absolute.equals(cwd) ? cwd.relativize(absolute) : path;
    }
}
