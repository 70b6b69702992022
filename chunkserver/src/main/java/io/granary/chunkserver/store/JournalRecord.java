package io.granary.chunkserver.store;

import io.granary.common.ChunkHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * One record of the {@link CommitJournal}: a 21-byte header (magic, type, handle, length, the
 * chunk's CRC32C), the chunk's bytes (none for a tombstone), and a CRC32C of everything before it in
 * the record. A record that ends early or fails its CRC ends its segment: it was never acknowledged,
 * because a force covers every record appended before it.
 *
 * @param type {@link #PUT} or {@link #DELETE}
 * @param crc the chunk's CRC32C (its one block's), 0 for a tombstone or an empty chunk
 */
record JournalRecord(byte type, ChunkHandle handle, int crc, byte[] data) {
    static final byte PUT = 1;
    static final byte DELETE = 2;
    private static final int MAGIC = 0x47524E4A; // "GRNJ"
    private static final int HEADER_BYTES = 4 + 1 + 8 + 4 + 4;
    private static final int TRAILER_BYTES = 4;

    /** Bytes a record of {@code dataBytes} takes in a segment. */
    static long length(int dataBytes) {
        return HEADER_BYTES + (long) dataBytes + TRAILER_BYTES;
    }

    /** The record as buffers for one gathering write: header, {@code data} itself (not copied), trailer. */
    static ByteBuffer[] encode(byte type, ChunkHandle handle, ByteBuffer data, int crc) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).put(type).putLong(handle.value()).putInt(data.remaining()).putInt(crc).flip();
        CRC32C recordCrc = new CRC32C();
        recordCrc.update(header.duplicate());
        recordCrc.update(data.duplicate());
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).putInt((int) recordCrc.getValue()).flip();
        return new ByteBuffer[] {header, data, trailer};
    }

    /** The record at {@code position} of a segment of {@code size} bytes, or null when it is torn or damaged. */
    static JournalRecord read(FileChannel channel, long position, long size) throws IOException {
        if (size - position < HEADER_BYTES + TRAILER_BYTES) {
            return null;
        }
        ByteBuffer header = ChecksumFile.readFully(channel, position, HEADER_BYTES);
        int magic = header.getInt();
        byte type = header.get();
        long handle = header.getLong();
        int length = header.getInt();
        int crc = header.getInt();
        if (magic != MAGIC || (type != PUT && type != DELETE) || length < 0
                || length > CommitJournal.MAX_CHUNK_BYTES || size - position < length(length)) {
            return null;
        }
        ByteBuffer rest = ChecksumFile.readFully(channel, position + HEADER_BYTES, length + TRAILER_BYTES);
        byte[] data = new byte[length];
        rest.get(data);
        CRC32C check = new CRC32C();
        check.update(header.flip());
        check.update(data);
        if ((int) check.getValue() != rest.getInt()) {
            return null;
        }
        return new JournalRecord(type, new ChunkHandle(handle), crc, data);
    }

    /** Bytes this record takes in its segment. */
    long length() {
        return length(data.length);
    }
}
