package io.granary.chunkserver.store;

import io.granary.common.ChunkHandle;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a chunkserver keeps things under its data directory (design §3.3):
 * <pre>
 * DATA/chunkserver.id                      the node's identity
 * DATA/chunks/&lt;xx&gt;/&lt;handle&gt;.chunk          a replica's bytes (xx = last 2 hex digits of the handle)
 * DATA/chunks/&lt;xx&gt;/&lt;handle&gt;.crc            its checksums, see {@link ChecksumFile}
 * DATA/tmp/                                writes in progress, emptied at start
 * DATA/journal/&lt;16 hex&gt;.log                 the log that makes small chunks durable, see {@link CommitJournal}
 * </pre>
 * The handle is the 16-hex-digit form {@code stat} prints, so an operator (or a test) can find a
 * replica from its handle. Fanning out over 256 directories keeps each one small.
 */
public final class ChunkLayout {
    public static final String ID_FILE = "chunkserver.id";
    public static final String CHUNK_SUFFIX = ".chunk";
    public static final String CRC_SUFFIX = ".crc";

    private final Path dataDir;

    public ChunkLayout(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The file holding a replica's bytes under {@code dataDir}; it exists iff the replica does. */
    public static Path chunkFile(Path dataDir, ChunkHandle handle) {
        return new ChunkLayout(dataDir).chunkFile(handle);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path idFile() {
        return dataDir.resolve(ID_FILE);
    }

    public Path chunksDir() {
        return dataDir.resolve("chunks");
    }

    public Path tmpDir() {
        return dataDir.resolve("tmp");
    }

    public Path journalDir() {
        return dataDir.resolve("journal");
    }

    public Path dirOf(ChunkHandle handle) {
        String hex = handle.hex();
        return chunksDir().resolve(hex.substring(hex.length() - 2));
    }

    public Path chunkFile(ChunkHandle handle) {
        return dirOf(handle).resolve(handle.hex() + CHUNK_SUFFIX);
    }

    public Path crcFile(ChunkHandle handle) {
        return dirOf(handle).resolve(handle.hex() + CRC_SUFFIX);
    }

    /** The handle a file in a chunk directory is named after, if its name is {@code <16 hex><suffix>}. */
    static Optional<ChunkHandle> handleOf(Path file, String suffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(suffix)) {
            return Optional.empty();
        }
        String hex = name.substring(0, name.length() - suffix.length());
        if (!hex.matches("[0-9a-f]{16}")) {
            return Optional.empty();
        }
        return Optional.of(ChunkHandle.parse(hex));
    }
}
