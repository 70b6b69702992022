package io.granary.chunkserver.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A chunkserver's stable identity, kept in {@code DATA/chunkserver.id} so that it survives restarts
 * and address changes: the master knows replicas by this id, not by address.
 */
public final class NodeIdentity {
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeIdentity() {
    }

    /**
     * The id of the chunkserver owning {@code dataDir}: the one stored there, else {@code configured},
     * else a new {@code cs-} + 8 hex digits; a new id is persisted (durably) before it is returned.
     * Blocks on disk I/O; not meant for concurrent calls on one directory.
     *
     * @param configured the id asked for, or null to use or create the stored one
     * @throws IllegalStateException when {@code configured} differs from the id stored in the
     *     directory: two identities for one set of replicas would confuse the master
     */
    public static String resolve(Path dataDir, String configured) {
        Path file = new ChunkLayout(dataDir).idFile();
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (stored.isEmpty()) {
                    throw new IllegalStateException(file + " is empty: delete it or write the chunkserver's id into it");
                }
                if (configured != null && !configured.equals(stored)) {
                    throw new IllegalStateException("data directory " + dataDir + " belongs to chunkserver '" + stored
                            + "', not '" + configured + "': start with --id " + stored + " or use another --data directory");
                }
                return stored;
            }
            String id = configured != null ? configured : "cs-" + HexFormat.of().toHexDigits(RANDOM.nextInt());
            persist(file, id);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void persist(Path file, String id) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DiskFiles.fsyncDirectory(file.getParent());
    }
}
