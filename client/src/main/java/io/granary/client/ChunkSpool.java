package io.granary.client;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

/**
 * A copy on local disk of the bytes of the chunk being written, so that they can be sent again to a
 * new chain without holding the chunk in memory: at most one piece is in memory while replaying.
 * The file is readable by its owner only (it holds users' data) and unlinked as soon as it is open
 * (or, where the system refuses that, when closed).
 *
 * <p>Its reads and writes go through a {@link RandomAccessFile} on the pieces' own arrays, never
 * through a {@code FileChannel}: a channel copies a heap buffer through a temporary direct buffer as
 * large as the piece, and those would come out of the direct memory that the gRPC buffers of every
 * upload share. A piece is written from the array it wraps, without a copy of its own. Clearing
 * for the next chunk keeps the file's length and overwrites it in place: truncating would give back
 * the file's pages only for the next chunk to take them again, a cost per byte spooled. So the file
 * stays as long as the longest chunk of the upload until it is closed. Not thread-safe: one upload,
 * one thread.
 */
final class ChunkSpool implements AutoCloseable {
    /** The array a piece held outside the heap is copied through, at most. */
    private static final int DIRECT_SLICE_BYTES = 64 * 1024;
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final RandomAccessFile file;
    /** The file's path while it is still linked (the system refused to unlink an open file); else null. */
    private final Path linked;
    /** Writes a piece's own bytes into the file; the array is only read, never kept. */
    private final ByteOutput appender = new ByteOutput() {
        @Override
        public void write(byte value) throws IOException {
            file.write(value);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            file.write(bytes, offset, length);
        }

        @Override
        public void writeLazy(byte[] bytes, int offset, int length) throws IOException {
            file.write(bytes, offset, length);
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            if (bytes.hasArray()) {
                file.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
                bytes.position(bytes.limit());
                return;
            }
            byte[] slice = new byte[Math.min(bytes.remaining(), DIRECT_SLICE_BYTES)];
            while (bytes.hasRemaining()) {
                int n = Math.min(slice.length, bytes.remaining());
                bytes.get(slice, 0, n);
                file.write(slice, 0, n);
            }
        }

        @Override
        public void writeLazy(ByteBuffer bytes) throws IOException {
            write(bytes);
        }
    };
    private long size;

    private ChunkSpool(RandomAccessFile file, Path linked) {
        this.file = file;
        this.linked = linked;
    }

    /**
     * A new, empty spool in {@code dir}.
     *
     * @throws IOException when the file cannot be created there
     */
    static ChunkSpool create(Path dir) throws IOException {
        Path path = Files.createTempFile(dir, "granary-chunk-", ".spool", OWNER_ONLY);
        RandomAccessFile file;
        try {
            file = new RandomAccessFile(path.toFile(), "rw");
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
        try {
            // unlinked at once where the system allows it, so that a crash leaves nothing behind
            Files.delete(path);
            return new ChunkSpool(file, null);
        } catch (IOException e) {
            return new ChunkSpool(file, path);
        }
    }

    /** Forgets the bytes held, for the next chunk, which overwrites them (see the class comment). */
    void clear() {
        size = 0;
    }

    /** Adds {@code piece} after the bytes held. */
    void append(ByteString piece) throws IOException {
        file.seek(size);
        UnsafeByteOperations.unsafeWriteTo(piece, appender);
        size += piece.size();
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
            byte[] piece = new byte[(int) Math.min(pieceBytes, size - at)];
            file.seek(at);
            try {
                file.readFully(piece);
            } catch (EOFException e) {
                throw new IOException("the spool file ended before its " + size + " bytes", e);
            }
            at += piece.length;
            sink.accept(UnsafeByteOperations.unsafeWrap(piece));
        }
    }

    @Override
    public void close() throws IOException {
        try {
            file.close();
        } finally {
            if (linked != null) {
                Files.deleteIfExists(linked);
            }
        }
    }
}
