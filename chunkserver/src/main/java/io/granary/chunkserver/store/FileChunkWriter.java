package io.granary.chunkserver.store;

import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Writes one chunk into {@code DATA/tmp}, a 64 KiB block at a time: incoming pieces of any size are
 * gathered in a direct staging buffer (one of the store's reused ones), so each block is
 * checksummed and written from the same memory without another copy. Only the checksums (4 bytes
 * per block) accumulate in memory.
 */
final class FileChunkWriter implements ChunkWriter {
    private enum State { OPEN, COMMITTED, ABORTED }

    private final FileChunkStore store;
    private final ChunkLayout layout;
    private final ChunkHandle handle;
    private final Path tmpChunk;
    private final Path tmpCrc;
    private final FileChannel channel;
    private final ByteBuffer staging;
    private boolean stagingReturned;
    private final CRC32C crc = new CRC32C();
    private int[] crcs = new int[16];
    private int blocks;
    private long written;
    private long reserved;
    private State state = State.OPEN;

    FileChunkWriter(FileChunkStore store, ChunkLayout layout, ChunkHandle handle, Path tmpChunk, FileChannel channel) {
        this.store = store;
        this.layout = layout;
        this.handle = handle;
        this.tmpChunk = tmpChunk;
        String name = tmpChunk.getFileName().toString();
        this.tmpCrc = tmpChunk.resolveSibling(
                name.substring(0, name.length() - ChunkLayout.CHUNK_SUFFIX.length()) + ChunkLayout.CRC_SUFFIX);
        this.channel = channel;
        this.staging = store.staging().take();
    }

    @Override
    public ChunkHandle handle() {
        return handle;
    }

    @Override
    public long bytesWritten() {
        return written;
    }

    @Override
    public void write(ByteBuffer data) {
        checkOpen();
        int length = data.remaining();
        try {
            store.reserve(length);
        } catch (RuntimeException e) {
            abort();
            throw e;
        }
        reserved += length;
        try {
            while (data.hasRemaining()) {
                int n = Math.min(staging.remaining(), data.remaining());
                staging.put(data.slice(data.position(), n));
                data.position(data.position() + n);
                if (!staging.hasRemaining()) {
                    flushBlock();
                }
            }
        } catch (IOException e) {
            abort();
            throw store.ioFailure("writing chunk " + handle, e);
        }
        written += length;
    }

    @Override
    public void commit(long expectedSize) {
        checkOpen();
        if (expectedSize != written) {
            abort();
            throw GranaryException.invalid("chunk " + handle + ": received " + written
                    + " bytes but the writer declared " + expectedSize);
        }
        try {
            if (staging.position() > 0) {
                flushBlock();
            }
            returnStaging();
            channel.force(true);
            channel.close();
            ChecksumFile.write(tmpCrc, written, crcs);
            install();
        } catch (IOException e) {
            abort();
            throw store.ioFailure("committing chunk " + handle, e);
        }
        state = State.COMMITTED;
        store.finished(handle, reserved, written);
    }

    @Override
    public void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        returnStaging();
        DiskFiles.closeQuietly(channel);
        DiskFiles.deleteQuietly(tmpChunk);
        DiskFiles.deleteQuietly(tmpCrc);
        store.finished(handle, reserved, -1);
    }

    /** Once, at commit or abort: the buffer then serves another writer. */
    private void returnStaging() {
        if (!stagingReturned) {
            stagingReturned = true;
            store.staging().give(staging);
        }
    }

    private void checkOpen() {
        if (state != State.OPEN) {
            throw new GranaryException(ErrorKind.FAILED_PRECONDITION,
                    "chunk " + handle + " was " + state.name().toLowerCase() + " already");
        }
    }

    private void flushBlock() throws IOException {
        staging.flip();
        crc.reset();
        crc.update(staging.duplicate());
        if (blocks == crcs.length) {
            crcs = Arrays.copyOf(crcs, blocks * 2);
        }
        crcs[blocks++] = (int) crc.getValue();
        while (staging.hasRemaining()) {
            channel.write(staging);
        }
        staging.clear();
    }

    /**
     * Moves the checksums, then the bytes, into place. The .chunk is the commit point: a crash
     * before its rename leaves only an orphan .crc, which start-up removes. A replacing write renames
     * over the bad replica's files, while no reader opens them; a crash between the two renames leaves
     * the old bytes with the new checksums, a replica that fails its check and is repaired again.
     */
    private void install() throws IOException {
        Path dir = layout.dirOf(handle);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            DiskFiles.fsyncDirectory(layout.chunksDir());
        }
        Path crcFile = layout.crcFile(handle);
        store.installing(() -> {
            Files.move(tmpCrc, crcFile, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(tmpChunk, layout.chunkFile(handle), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                DiskFiles.deleteQuietly(crcFile);
                throw e;
            }
        });
        DiskFiles.fsyncDirectory(dir);
    }
}
