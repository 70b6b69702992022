package io.granary.launcher.cli;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * The {@code --exclude} globs of {@code cp -r} and {@code mirror}: an entry is excluded when a glob
 * matches its name or its path below the copied directory ({@code *.tmp}, {@code .git},
 * {@code cache/**}; {@code *} stays within one name, {@code **} crosses folders). An excluded
 * directory is not walked.
 */
final class Excludes {
    static final Excludes NONE = new Excludes(List.of());

    private final List<PathMatcher> globs;

    private Excludes(List<PathMatcher> globs) {
        this.globs = globs;
    }

    /** @throws CliException USAGE for a glob that is not one */
    static Excludes of(List<String> globs) {
        if (globs == null || globs.isEmpty()) {
            return NONE;
        }
        try {
            return new Excludes(globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--exclude: " + e.getMessage());
        }
    }

    /** Whether the entry at {@code rel} (its path below the copied directory, {@code /}-separated) is excluded. */
    boolean excludes(String rel) {
        if (globs.isEmpty()) {
            return false;
        }
        Path path;
        try {
            path = Path.of(rel);
        } catch (InvalidPathException e) {
            return false;
        }
        Path name = path.getFileName();
        return globs.stream().anyMatch(g -> g.matches(path) || (name != null && g.matches(name)));
    }
}
