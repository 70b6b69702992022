package io.granary.launcher.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An S3 key of {@code local} mode's admin principal: its access key id and secret key. One that was
 * generated for the admin is kept in {@code DATA/s3.key} (mode 600) from the moment it exists until
 * the banner has shown it, as the generated admin token is ({@link LocalAdminToken}): a first start that
 * fails after making it does not lose it, and the next start shows it.
 */
public record LocalS3Key(String accessKeyId, String secretKey) {
    public static final String FILE = "s3.key";

    /** Keeps {@code key} until {@link #shown}; returns the key already kept, if one was. */
    static LocalS3Key keep(Path dataDir, LocalS3Key key) {
        Path file = dataDir.resolve(FILE);
        try {
            return parse(OwnerOnlyFile.readOrCreate(file, () -> key.accessKeyId() + " " + key.secretKey()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the new S3 key in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The key kept by an earlier start that did not show it. */
    static Optional<LocalS3Key> unshown(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            return Files.exists(file) ? Optional.of(parse(Files.readString(file).trim())) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the S3 key kept in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the kept key once it has been shown. */
    static void shown(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + " after showing the S3 key: "
                    + e.getMessage() + "; delete it by hand", e);
        }
    }

    /** The kept form: the access key id and the secret key, separated by one space (neither has one). */
    private static LocalS3Key parse(String line) {
        int space = line.indexOf(' ');
        if (space < 0) {
            throw new IllegalStateException("the S3 key file " + FILE + " does not hold '<access key id> <secret key>': "
                    + "delete it and revoke the admin's S3 keys (granary s3-key list, revoke) to have a new one made");
        }
        return new LocalS3Key(line.substring(0, space), line.substring(space + 1));
    }

    /** For logs: the secret key is masked. */
    @Override
    public String toString() {
        return "LocalS3Key[accessKeyId=" + accessKeyId + ", secretKey=***]";
    }
}
