package io.granary.chunkserver.store;

import io.granary.common.ChunkHandle;
import io.granary.common.GranaryException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads a range of one chunk with positional reads. Each piece reads the whole blocks it touches,
 * verifies them, and returns only the asked-for bytes. After an unaligned first piece the pieces
 * end on block boundaries, so no block is read twice when pieces are at least a block long.
 */
final class FileChunkReader implements ChunkReader {
    private static final int BLOCK = ChecksumFile.BLOCK_SIZE;

    private final FileChunkStore store;
    private final ChunkHandle handle;
    private final FileChannel data;
    private final FileChannel crcs;
    private final long chunkLength;
    private final long end;
    private final CRC32C crc = new CRC32C();
    private long position;

    FileChunkReader(FileChunkStore store, ChunkHandle handle, FileChannel data, FileChannel crcs,
                    long chunkLength, long offset, long end) throws IOException {
        this.store = store;
        this.handle = handle;
        this.data = data;
        this.crcs = crcs;
        this.chunkLength = chunkLength;
        this.position = offset;
        this.end = end;
        if (!ChecksumFile.matches(crcs, chunkLength) || data.size() != chunkLength) {
            close();
            throw store.dataLoss(handle, "its files do not match its recorded length of " + chunkLength + " bytes");
        }
    }

    @Override
    public long remaining() {
        return end - position;
    }

    @Override
    public ByteBuffer next(int maxBytes) {
        if (maxBytes <= 0) {
            throw GranaryException.invalid("a read piece must be at least 1 byte, not " + maxBytes);
        }
        int intoBlock = (int) (position % BLOCK);
        long want = maxBytes >= BLOCK && maxBytes > intoBlock ? maxBytes - intoBlock : maxBytes;
        int n = (int) Math.min(remaining(), want);
        if (n == 0) {
            return ByteBuffer.allocate(0);
        }
        long firstBlock = position / BLOCK;
        long lastBlock = (position + n - 1) / BLOCK;
        long from = firstBlock * BLOCK;
        long to = Math.min((lastBlock + 1) * BLOCK, chunkLength);
        ByteBuffer blocks = readVerified(firstBlock, (int) (lastBlock - firstBlock + 1), from, (int) (to - from));
        int start = (int) (position - from);
        position += n;
        return blocks.slice(start, n);
    }

    private ByteBuffer readVerified(long firstBlock, int count, long from, int length) {
        ByteBuffer bytes;
        int[] expected;
        try {
            bytes = ChecksumFile.readFully(data, from, length);
            expected = ChecksumFile.read(crcs, firstBlock, count);
        } catch (EOFException e) {
            throw store.dataLoss(handle, "file shorter than its checksums: " + e.getMessage());
        } catch (IOException e) {
            throw store.ioFailure("reading chunk " + handle, e);
        }
        for (int i = 0; i < count; i++) {
            int blockStart = i * BLOCK;
            crc.reset();
            crc.update(bytes.slice(blockStart, Math.min(BLOCK, length - blockStart)));
            if ((int) crc.getValue() != expected[i]) {
                throw store.corrupted(handle, firstBlock + i);
            }
        }
        return bytes;
    }

    @Override
    public void close() {
        DiskFiles.closeQuietly(data);
        DiskFiles.closeQuietly(crcs);
    }
}
