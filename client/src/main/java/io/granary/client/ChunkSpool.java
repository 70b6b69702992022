package io.granary.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

/**
 * A copy on local disk of the bytes of the chunk being written, so that they can be sent again to a
 * new chain without holding the chunk in memory: at most one piece is in memory while replaying.
 * The file is readable by its owner only (it holds users' data) and unlinked as soon as it is open
 * (or, where the system refuses that, when closed). Not
 * thread-safe: one upload, one thread.
 */
final class ChunkSpool implements AutoCloseable {
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final FileChannel file;
    private long size;

    private ChunkSpool(FileChannel file) {
        this.file = file;
    }

    /**
     * A new, empty spool in {@code dir}.
     *
     * @throws IOException when the file cannot be created there
     */
    static ChunkSpool create(Path dir) throws IOException {
        Path path = Files.createTempFile(dir, "granary-chunk-", ".spool", OWNER_ONLY);
        FileChannel file;
        try {
            file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
        try {
            // unlinked at once where the system allows it, so that a crash leaves nothing behind
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // DELETE_ON_CLOSE removes it when the upload ends
        }
        return new ChunkSpool(file);
    }

    /** Forgets the bytes held, for the next chunk. */
    void clear() throws IOException {
        file.truncate(0);
        size = 0;
    }

    /** Adds {@code piece} after the bytes held. */
    void append(ByteString piece) throws IOException {
        for (ByteBuffer buffer : piece.asReadOnlyByteBufferList()) {
            while (buffer.hasRemaining()) {
                size += file.write(buffer, size);
            }
        }
    }

    /** Bytes held. */
    long size() {
        return size;
    }

    /**
     * Hands every byte held to {@code sink} in order, in pieces of at most {@code pieceBytes}, each in
     * an array of its own (gRPC may still hold the previous one).
     */
    void replay(int pieceBytes, Consumer<ByteString> sink) throws IOException {
        for (long at = 0; at < size; ) {
            ByteBuffer piece = ByteBuffer.allocate((int) Math.min(pieceBytes, size - at));
            while (piece.hasRemaining()) {
                int n = file.read(piece, at + piece.position());
                if (n < 0) {
                    throw new IOException("the spool file ended at " + (at + piece.position()) + " of " + size + " bytes");
                }
            }
            at += piece.capacity();
            sink.accept(UnsafeByteOperations.unsafeWrap(piece.array()));
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
