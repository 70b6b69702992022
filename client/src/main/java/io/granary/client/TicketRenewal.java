package io.granary.client;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.grpc.ChunkAccess;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.FileMeta;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keeps the chunk tickets of one read of a file fresh. A token client reads chunks with the master's
 * tickets ({@link ChunkAccess}), which last two hours from the file's lookup; a read that lasts longer
 * would have its next chunks refused. Before a chunk's read starts, a ticket that expires within
 * {@link #MARGIN} is replaced: the file is looked up again and, if it is still the same version (the
 * same chunk at that place), its new tickets serve the rest of the read. A file replaced meanwhile
 * cannot be read on: its old chunks get no new tickets. Chunks without a ticket (a client with the
 * cluster secret) pass as they are. Thread-safe: the read-ahead of the next chunk asks from another
 * thread.
 */
final class TicketRenewal {
    /**
     * How long before its expiry a ticket is replaced: room for a chunk read to start on a replica, and
     * then on the others, and for some difference between this machine's clock and the master's.
     */
    static final Duration MARGIN = Duration.ofMinutes(10);

    private final Supplier<FileMeta> lookup;
    private final LongSupplier nowMs;
    private FileMeta latest;

    /**
     * @param file   the version being read, as first looked up
     * @param lookup looks the file up again at the master
     * @param nowMs  this machine's clock ({@code System::currentTimeMillis})
     */
    TicketRenewal(FileMeta file, Supplier<FileMeta> lookup, LongSupplier nowMs) {
        this.latest = file;
        this.lookup = lookup;
        this.nowMs = nowMs;
    }

    /**
     * {@code range} with a ticket valid for at least {@link #MARGIN}: the newest one known, or one
     * looked up now.
     *
     * @throws GranaryException FAILED_PRECONDITION when the file was replaced (or shortened) meanwhile;
     *                          what the lookup throws (NOT_FOUND when it was deleted, UNAVAILABLE, ...)
     */
    synchronized ChunkRange renewed(ChunkRange range) {
        if (range.chunk().access().isEmpty()) {
            return range;
        }
        ChunkMeta chunk = sameChunk(latest, range);
        if (expiresSoon(chunk)) {
            latest = lookup.get();
            chunk = sameChunk(latest, range);
        }
        return chunk == range.chunk() ? range : new ChunkRange(chunk, range.offsetInChunk(), range.length());
    }

    private boolean expiresSoon(ChunkMeta chunk) {
        OptionalLong expires = ChunkAccess.expiresMs(chunk.access());
        return expires.isPresent() && expires.getAsLong() - nowMs.getAsLong() <= MARGIN.toMillis();
    }

    /** The chunk of {@code file} at {@code range}'s place, which must be the one being read. */
    private static ChunkMeta sameChunk(FileMeta file, ChunkRange range) {
        int index = range.chunk().index();
        ChunkMeta chunk = index < file.chunks().size() ? file.chunks().get(index) : null;
        if (chunk == null || !chunk.handle().equals(range.chunk().handle())) {
            throw new GranaryException(ErrorKind.FAILED_PRECONDITION, file.path() + " was replaced while it was "
                    + "read, and the chunk tickets of the version being read ran out: open it again to read the new one");
        }
        return chunk;
    }
}
