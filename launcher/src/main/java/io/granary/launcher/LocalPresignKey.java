package io.granary.launcher;

import io.granary.gateway.auth.PresignKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

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
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                create(file);
            }
            return PresignKey.parse(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the presign key " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage() + "; delete it to get a new key", e);
        }
    }

    private static void create(Path file) throws IOException {
        String key = PresignKey.generate("local1").encoded() + "\n";
        try {
            // created with mode 600 from the start: never readable by others, not even for a moment
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return; // another start won the race; use its key
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        }
        Files.writeString(file, key, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
