package io.granary.client;

import io.granary.common.meta.FileMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * One version of a file, read-only, for programs that seek: {@link #position(long)} and
 * {@link #read(ByteBuffer)} as on any {@link SeekableByteChannel}, and {@link #read(ByteBuffer, long)}
 * for a positional read that leaves the position alone (as {@code FileChannel}'s and HDFS's
 * {@code pread}). Every read sees the version of the file the channel was opened on, even when the
 * path is overwritten or deleted meanwhile, as long as that version's chunks are still stored.
 *
 * <p>Sequential reads share one stream of the file, with its read-ahead; a read at another position
 * than where the last one ended closes that stream and opens one at the new position. A positional
 * read opens a stream of exactly the bytes it wants, so scattered small reads fetch no more than they
 * ask for. Bytes go from the chunk stream straight into the caller's buffer when it has an array.
 *
 * <p>Failures are {@link IOException}s: a {@link ClosedChannelException} after {@link #close()}, and
 * for a read no replica could serve, an {@code IOException} whose cause is the client's
 * {@link io.granary.common.GranaryException}. Not thread-safe, as the interface allows.
 */
public final class GranaryFileChannel implements SeekableByteChannel {
    /** The array a read into a buffer without one goes through, at most. */
    private static final int TRANSFER_BYTES = 64 * 1024;

    /** Opens the file's bytes [offset, offset + length) as a stream. */
    @FunctionalInterface
    interface RangeOpener {
        InputStream open(long offset, long length);
    }

    private final FileMeta file;
    private final RangeOpener opener;
    private long position;
    private InputStream stream;
    /** Where {@link #stream} is in the file: its next byte's offset. */
    private long streamPosition;
    private boolean open = true;

    GranaryFileChannel(FileMeta file, RangeOpener opener) {
        this.file = file;
        this.opener = opener;
    }

    /** The version of the file this channel reads. */
    public FileMeta file() {
        return file;
    }

    /**
     * Reads from the position into {@code dst}, as many bytes as it has room for or the file has left,
     * at least one unless {@code dst} is full; advances the position by that many.
     *
     * @return the bytes read, or -1 at or past the end of the file
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        checkOpen();
        if (position >= file.size()) {
            return -1;
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (stream == null || streamPosition != position) {
            closeStream();
            stream = open(position, file.size() - position);
            streamPosition = position;
        }
        int n = readInto(stream, dst);
        if (n < 0) {
            throw new IOException(file.path() + " ended at byte " + position + " of " + file.size());
        }
        position += n;
        streamPosition += n;
        return n;
    }

    /**
     * Reads the bytes from {@code at} into {@code dst} until it is full or the file ends, without
     * moving this channel's position.
     *
     * @return the bytes read, or -1 when {@code at} is at or past the end of the file
     * @throws IllegalArgumentException when {@code at} is negative
     */
    public int read(ByteBuffer dst, long at) throws IOException {
        if (at < 0) {
            throw new IllegalArgumentException("a position is never negative: " + at);
        }
        checkOpen();
        if (at >= file.size()) {
            return -1;
        }
        long wanted = Math.min(dst.remaining(), file.size() - at);
        int total = 0;
        try (InputStream range = open(at, wanted)) {
            while (total < wanted) {
                int n = readInto(range, dst);
                if (n < 0) {
                    throw new IOException(file.path() + " ended at byte " + (at + total) + " of " + file.size());
                }
                total += n;
            }
        }
        return total;
    }

    @Override
    public long position() throws IOException {
        checkOpen();
        return position;
    }

    /**
     * Moves the position; past the end is allowed, where reads answer -1. The stream of sequential reads
     * is kept until the next read, which reopens it only when the position moved away from it.
     *
     * @throws IllegalArgumentException when {@code newPosition} is negative
     */
    @Override
    public GranaryFileChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException("a position is never negative: " + newPosition);
        }
        checkOpen();
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        checkOpen();
        return file.size();
    }

    /** @throws NonWritableChannelException always: a file of Granary is written whole by an upload */
    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    /** @throws NonWritableChannelException always */
    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Closes the stream of sequential reads, cancelling its transfers. */
    @Override
    public void close() throws IOException {
        open = false;
        closeStream();
    }

    private InputStream open(long offset, long length) throws IOException {
        try {
            return opener.open(offset, length);
        } catch (RuntimeException e) {
            throw new IOException("cannot read " + file.path() + " at byte " + offset + ": " + e.getMessage(), e);
        }
    }

    /** One read of {@code in} into {@code dst}'s array, or through a transfer array when it has none. */
    private int readInto(InputStream in, ByteBuffer dst) throws IOException {
        try {
            if (dst.hasArray()) {
                int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return n;
            }
            byte[] transfer = new byte[Math.min(dst.remaining(), TRANSFER_BYTES)];
            int n = in.read(transfer);
            if (n > 0) {
                dst.put(transfer, 0, n);
            }
            return n;
        } catch (RuntimeException e) {
            throw new IOException("cannot read " + file.path() + ": " + e.getMessage(), e);
        }
    }

    private void closeStream() throws IOException {
        if (stream != null) {
            InputStream closing = stream;
            stream = null;
            closing.close();
        }
    }

    private void checkOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
