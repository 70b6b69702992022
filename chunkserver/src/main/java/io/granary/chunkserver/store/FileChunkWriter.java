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
 * per block) accumulate in memory. A chunk of one block or less is made durable through the store's
 * {@link CommitJournal} (one shared fsync); a larger one by fsyncs of its files and directory.
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
                if (!staging.hasRemaining()) {
                    flushBlock(); // only once more bytes come: a chunk of one block stays whole for the journal
                }
                int n = Math.min(staging.remaining(), data.remaining());
                staging.put(data.slice(data.position(), n));
                data.position(data.position() + n);
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
            if (blocks == 0 && store.journal().accepting(handle)) {
                commitThroughJournal();
            } else {
                commitFsyncingFiles();
            }
        } catch (IOException e) {
            abort();
            throw store.ioFailure("committing chunk " + handle, e);
        } catch (RuntimeException | Error e) {
            abort();
            throw e;
        }
        state = State.COMMITTED;
        store.finished(handle, reserved, written);
    }

    /** Every byte written, its checksums and its directory entry forced before the answer. */
    private void commitFsyncingFiles() throws IOException {
        if (staging.position() > 0) {
            flushBlock();
        }
        returnStaging();
        channel.force(true);
        channel.close();
        ChecksumFile.write(tmpCrc, written, crcs, true);
        install(true);
    }

    /**
     * A chunk of one block or less, still whole in the staging buffer: its files are written and
     * installed without a force, then its record in the store's journal is forced (shared with the
     * commits that arrive meanwhile). If the journal fails, the installed files go again.
     */
    private void commitThroughJournal() throws IOException {
        ByteBuffer data = staging.duplicate().flip();
        if (data.hasRemaining()) {
            flushBlock();
        }
        int chunkCrc = blocks == 0 ? 0 : crcs[0];
        channel.close();
        ChecksumFile.write(tmpCrc, written, crcs, false);
        install(false);
        try {
            CommitJournal journal = store.journal();
            journal.awaitDurable(journal.appendPut(handle, data, chunkCrc));
        } catch (IOException | RuntimeException e) {
            DiskFiles.deleteQuietly(layout.chunkFile(handle));
            DiskFiles.deleteQuietly(layout.crcFile(handle));
            throw e;
        } finally {
            returnStaging();
        }
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

    /** Checksums the staged block and writes it to the file; the staging buffer's bytes stay as they were. */
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
        staging.clear(); // position and limit only: a journal commit still reads the block from it
    }

    /**
     * Moves the checksums, then the bytes, into place. The .chunk is the commit point: a crash
     * before its rename leaves only an orphan .crc, which start-up removes. A replacing write renames
     * over the bad replica's files, while no reader opens them; a crash between the two renames leaves
     * the old bytes with the new checksums, a replica that fails its check and is repaired again.
     */
    private void install(boolean fsyncDirectory) throws IOException {
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
        if (fsyncDirectory) {
            DiskFiles.fsyncDirectory(dir);
        }
    }
}
