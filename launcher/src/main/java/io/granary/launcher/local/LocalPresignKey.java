package io.granary.launcher.local;

import io.granary.gateway.auth.PresignKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * {@code local} mode's presign key: generated at first start into {@code DATA/presign.key}, readable
 * by its owner only, and read back at every later start so that URLs handed out survive a restart.
 */
final class LocalPresignKey {
    static final String FILE = "presign.key";

    private LocalPresignKey() {
    }

    static PresignKey loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            return PresignKey.parse(OwnerOnlyFile.readOrCreate(file, () -> PresignKey.generate("local1").encoded()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the presign key " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage() + "; delete it to get a new key", e);
        }
    }
}
