package io.granary.chunkserver.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code .crc} file beside each {@code .chunk}: a header (magic, format version, block size,
 * chunk length) then one big-endian CRC32C per 64 KiB block of the chunk, the last block possibly
 * short. 4 bytes per 64 KiB, so a 64 MiB chunk has a 4 KiB checksum file.
 */
final class ChecksumFile {
    static final int MAGIC = 0x47524E43; // "GRNC"
    static final int VERSION = 1;
    static final int BLOCK_SIZE = 64 * 1024;
    static final int HEADER_BYTES = 4 + 4 + 4 + 8;
    static final int READ_SLICE_BYTES = 256 * 1024;

    private ChecksumFile() {
    }

    static long blockCount(long chunkLength) {
        return (chunkLength + BLOCK_SIZE - 1) / BLOCK_SIZE;
    }

    static long fileSize(long chunkLength) {
        return HEADER_BYTES + 4 * blockCount(chunkLength);
    }

    /** Writes a new checksum file, and forces it to disk if {@code force}. */
    static void write(Path file, long chunkLength, int[] crcs, boolean force) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) fileSize(chunkLength));
        buf.putInt(MAGIC).putInt(VERSION).putInt(BLOCK_SIZE).putLong(chunkLength);
        for (int i = 0; i < blockCount(chunkLength); i++) {
            buf.putInt(crcs[i]);
        }
        buf.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (force) {
                ch.force(true);
            }
        }
    }

    /** Whether the open checksum file has a valid header for a chunk of this length, and the right size. */
    static boolean matches(FileChannel ch, long chunkLength) throws IOException {
        if (ch.size() != fileSize(chunkLength)) {
            return false;
        }
        ByteBuffer header = readFully(ch, 0, HEADER_BYTES);
        return header.getInt() == MAGIC && header.getInt() == VERSION
                && header.getInt() == BLOCK_SIZE && header.getLong() == chunkLength;
    }

    static boolean matches(Path file, long chunkLength) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return matches(ch, chunkLength);
        } catch (IOException e) {
            return false;
        }
    }

    /** The checksums of {@code count} blocks starting at {@code firstBlock}. */
    static int[] read(FileChannel ch, long firstBlock, int count) throws IOException {
        ByteBuffer buf = readFully(ch, HEADER_BYTES + 4 * firstBlock, 4 * count);
        int[] crcs = new int[count];
        for (int i = 0; i < count; i++) {
            crcs[i] = buf.getInt();
        }
        return crcs;
    }

    /**
     * Positional read of exactly {@code length} bytes, flipped for reading. Reads at most
     * {@link #READ_SLICE_BYTES} at a time: the JDK reads a heap buffer through a temporary direct one
     * as large as the read, which it keeps per thread only up to {@code jdk.nio.maxCachedBufferSize}
     * (256 KiB in {@code local}) and otherwise allocates and frees on every call.
     */
    static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.position() < length) {
            buf.limit(Math.min(length, buf.position() + READ_SLICE_BYTES));
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new EOFException("file ends at " + (position + buf.position()) + ", expected "
                        + (position + length) + " bytes");
            }
        }
        return buf.flip();
    }
}
