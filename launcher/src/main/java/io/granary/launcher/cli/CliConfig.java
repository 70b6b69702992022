package io.granary.launcher.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The command-line client's settings file, {@code ~/.config/granary/config} (or under
 * {@code $XDG_CONFIG_HOME}): {@code key=value} lines, {@code token=...} and {@code gateway=...}. Flags and
 * environment variables win over it. A missing or unreadable file is no settings at all.
 */
record CliConfig(Optional<String> token, Optional<String> gateway) {

    static CliConfig load() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return load(base.resolve("granary").resolve("config"));
    }

    static CliConfig load(Path file) {
        Properties properties = new Properties();
        if (Files.isReadable(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // an unreadable file counts as none: the flags and variables still work
            }
        }
        return new CliConfig(value(properties, "token"), value(properties, "gateway"));
    }

    private static Optional<String> value(Properties properties, String key) {
        return Optional.ofNullable(properties.getProperty(key)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
