package io.granary.launcher.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The admin token the master generated for a new data directory, kept in {@code DATA/admin.token}
 * (mode 600) from the moment it exists until the banner has shown it: a first start that fails after
 * the master made it (the gateway's port taken, say) does not lose it, and the next start shows it.
 */
public final class LocalAdminToken {
    public static final String FILE = "admin.token";

    private LocalAdminToken() {
    }

    /** Keeps {@code token} until {@link #shown}; returns the token already kept, if one was. */
    static String keep(Path dataDir, String token) {
        Path file = dataDir.resolve(FILE);
        try {
            return OwnerOnlyFile.readOrCreate(file, () -> token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the new admin token in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The token kept by an earlier start that did not show it. */
    static Optional<String> unshown(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the admin token kept in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the kept token once it has been shown. */
    static void shown(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + " after showing the admin token: "
                    + e.getMessage() + "; delete it by hand", e);
        }
    }
}
