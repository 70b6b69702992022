package io.granary.launcher.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A secret that {@code local} mode generates once and keeps in its data directory (the presign key,
 * the Redis password): created mode 600 from the start, so it is never readable by others, not even
 * for a moment, and read back at every later start. Also the data directory itself, mode 700.
 */
final class OwnerOnlyFile {

    private OwnerOnlyFile() {
    }

    /**
     * The trimmed content of {@code file}, which is first created with {@code generate}'s value when
     * missing. When two starts race, both read the winner's value.
     *
     * @throws IOException when the file or its directory cannot be read or written
     */
    static String readOrCreate(Path file, Supplier<String> generate) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            create(file, generate.get());
        }
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }

    /**
     * Creates {@code dir} if missing and makes it mode 700 (where the file system has POSIX modes), so
     * that no other user of the machine reads what is below it.
     *
     * @throws IOException when it cannot be created or changed
     */
    static void ownerOnlyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static void create(Path file, String content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system
        }
        Files.writeString(file, content + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
