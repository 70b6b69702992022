package io.granary.launcher.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The password of {@code local} mode's embedded Redis: generated at first start into
 * {@code DATA/redis.password} (mode 600) and read back at every later start, so that no other user
 * of the machine can talk to Redis and write a token record of their own.
 */
public final class LocalRedisPassword {
    public static final String FILE = "redis.password";
    private static final int BYTES = 32;

    private LocalRedisPassword() {
    }

    static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            return OwnerOnlyFile.readOrCreate(file, LocalRedisPassword::generate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the Redis password " + file + ": " + e.getMessage(), e);
        }
    }

    /** Hex, so that it needs no escaping in a {@code redis://:PASSWORD@host:port} URI. */
    public static String generate() {
        byte[] bytes = new byte[BYTES];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
