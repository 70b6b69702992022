package io.granary.client;

import com.google.protobuf.ByteString;
import io.granary.common.Actor;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.OverloadedException;
import io.granary.common.grpc.ChannelPool;
import io.granary.common.meta.Replica;
import io.granary.proto.AllocateChunkResponse;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.WriteChunkResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the chunks of one upload, each to the chain the master gave it; when that chain fails (its
 * head dies, refuses or stalls), asks the master for a new handle and a chain without the chunkservers
 * that failed this upload, and sends the chunk again, up to {@link #MAX_ATTEMPTS} chains per chunk.
 *
 * <p>The chunk's bytes come back from a {@link ChunkSpool} on local disk, written as they are read
 * from the body, so memory holds one piece at a time. Without a spool (none configured, or its disk
 * failed) a chunk is retried only while no byte of it has been sent. An abandoned attempt's handle is
 * never committed: the master collects it with the upload's other unused handles.
 *
 * <p>A chain refused because a chunkserver is busy is not a failure of that chunkserver: the chunk is
 * sent again after a pause, on the chain the master gives then, for up to
 * {@link ClientOptions#busyPatience()}, so that a burst of uploads larger than the chunkservers' write
 * budgets takes turns instead of failing.
 *
 * <p>Not thread-safe: one upload, one thread. Close it to delete the spools.
 */
final class RetryingChunkWrite implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetryingChunkWrite.class);
    /** Chains tried per chunk before the upload fails. */
    static final int MAX_ATTEMPTS = 3;

    private final MasterCalls master;
    private final ChannelPool channels;
    private final ClientOptions options;
    private final String uploadId;
    private final Actor actor;
    /** Chunkservers that failed a chain of this upload: left out of the chains asked for afterwards. */
    private final Set<String> failed = new LinkedHashSet<>();
    /** The chunks sent and not yet acknowledged: cancelled if the upload fails. */
    private final List<ChunkAttempts> inFlight = new ArrayList<>(2);
    private final List<ChunkSpool> spools = new ArrayList<>(2);
    private final Deque<ChunkSpool> freeSpools = new ArrayDeque<>(2);
    private boolean spoolsFailed;

    /** Writes chunks of {@code uploadId}, allocating them for {@code actor} (checked for a multipart upload). */
    RetryingChunkWrite(MasterCalls master, ChannelPool channels, ClientOptions options, String uploadId,
                       Actor actor) {
        this.master = master;
        this.channels = channels;
        this.options = options;
        this.uploadId = uploadId;
        this.actor = actor;
    }

    /**
     * Writes the chunks of {@code body} until it ends, chunk {@code k} under index
     * {@code indexOf.applyAsInt(k)}; chunk {@code k + 1}'s bytes flow while chunk {@code k}'s chain
     * commits it, so the replicas' fsyncs do not stop the stream. At most two chunks are in flight, the
     * one committing and the one streaming, each with a spool of its own (for a new chain should its
     * commit fail) and at most one piece in memory. A chunk is allocated only once its
     * first byte is in hand, so a body whose size is an exact multiple of the chunk size does not end
     * with an empty chunk. Any failure cancels the chunk still committing.
     *
     * @param firstAllocation chunk 0's handle and chain, or null to ask the master for them; unused for an empty body
     * @return the chunks, in order, each acknowledged by its chain
     * @throws OverloadedException when busy chunkservers still refused a chunk after {@link ClientOptions#busyPatience()}
     * @throws GranaryException when the body fails, the master refuses, or {@link #MAX_ATTEMPTS} chains failed a chunk
     */
    List<WrittenChunk> writeAll(IntUnaryOperator indexOf, AllocateChunkResponse firstAllocation, BodyReader body,
                                long chunkSize) {
        List<WrittenChunk> written = new ArrayList<>();
        int piece = (int) Math.min(options.pieceSizeBytes(), chunkSize);
        ChunkAttempts committing = null;
        try {
            for (ByteString first; (first = body.next(piece)) != null; ) {
                int k = written.size() + (committing == null ? 0 : 1);
                ChunkAttempts streaming = new ChunkAttempts(indexOf.applyAsInt(k), k == 0 ? firstAllocation : null,
                        new Pieces(first, body, chunkSize));
                inFlight.add(streaming);
                streaming.send();
                if (committing != null) {
                    written.add(committing.await());
                }
                committing = streaming;
            }
            if (committing != null) {
                written.add(committing.await());
            }
            return written;
        } finally {
            inFlight.forEach(ChunkAttempts::cancel); // after a failure; none is left otherwise
            inFlight.clear();
        }
    }

    /**
     * One chunk's way to a chain that acknowledges it: its bytes and end marker sent by {@link #send},
     * its chain's answer awaited by {@link #await}. A chain failing at either step is replaced (or,
     * when busy, waited out) and the chunk sent again from its {@link Pieces}.
     */
    private final class ChunkAttempts {
        private final int index;
        private final Pieces pieces;
        private AllocateChunkResponse current;
        private List<Replica> chain;
        private ChainWrite writer;
        private long written;
        private int attempt = 1;
        private BusyWait busy;

        ChunkAttempts(int index, AllocateChunkResponse allocated, Pieces pieces) {
            this.index = index;
            this.pieces = pieces;
            this.current = allocated != null ? allocated : master.allocateChunk(uploadId, index, failed, actor);
        }

        /** Sends the whole chunk and its end marker to a chain, replacing chains that fail meanwhile. */
        void send() {
            while (true) {
                chain = chainOf(current); // a master with no chunkserver to offer is not asked again
                try {
                    sendOnce();
                    return;
                } catch (GranaryException e) {
                    nextChainAfter(e);
                }
            }
        }

        /** The chunk as its chain acknowledged it; a chain failing its commit is replaced and sent the chunk again. */
        WrittenChunk await() {
            while (true) {
                try {
                    WrittenChunk chunk = answer();
                    inFlight.remove(this);
                    pieces.release();
                    return chunk;
                } catch (GranaryException e) {
                    nextChainAfter(e);
                    send();
                }
            }
        }

        void cancel() {
            if (writer != null) {
                writer.cancel("upload failed");
            }
            pieces.release();
        }

        private void sendOnce() {
            writer = ChainWrite.open(ChunkServerServiceGrpc.newStub(channels.channel(chain.get(0).address())),
                    new ChunkHandle(current.getHandle()), chain, current.getAccess(),
                    pieces.firstPieceBytes(options.pieceSizeBytes()), options.chunkDeadline(), options.chunkIdleTimeout());
            try {
                written = pieces.send(writer::sendData, options.pieceSizeBytes());
                writer.end(written);
            } catch (RuntimeException | Error e) { // an Error too: the chain must not keep the write open
                writer.cancel("upload failed");
                throw e;
            }
        }

        private WrittenChunk answer() {
            ChunkHandle handle = new ChunkHandle(current.getHandle());
            try {
                WriteChunkResponse answer = writer.awaitAnswer();
                checkAnswer(answer, handle, written);
                log.debug("{}: wrote chunk {} #{} ({} bytes) to {}", options.name(), handle.hex(), index, written,
                        answer.getReplicasList());
                return new WrittenChunk(index, handle, written, answer.getReplicasList());
            } catch (RuntimeException | Error e) {
                writer.cancel("upload failed");
                throw e;
            }
        }

        /**
         * Rethrows {@code e} unless another chain may take the chunk; otherwise pauses (a busy chain)
         * or leaves the failed chain's head out of later chains, and asks the master for a new one.
         */
        private void nextChainAfter(GranaryException e) {
            if (e instanceof OverloadedException refusal) {
                if (!pieces.canSendAgain()) {
                    throw e;
                }
                if (busy == null) {
                    busy = new BusyWait(options.busyPatience());
                }
                busy.pause(refusal);
                log.debug("{}: upload {} chunk #{}: chain {} is busy ({}); sending it again", options.name(), uploadId,
                        index, ids(chain), e.getMessage());
            } else {
                if (!retryable(e, pieces) || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                attempt++;
                failed.add(chain.get(0).chunkserverId());
                log.info("{}: upload {} chunk #{}: chain {} failed ({}); asking for one without {}", options.name(),
                        uploadId, index, ids(chain), e.getMessage(), failed);
            }
            current = master.allocateChunk(uploadId, index, failed, actor);
        }
    }

    /**
     * A failure another chain may not have: the chunkservers', not the body's or the caller's. A busy
     * node's refusal is not one: it is waited out by {@link BusyWait}, without leaving the node out.
     */
    private static boolean retryable(GranaryException e, Pieces pieces) {
        if (!pieces.canSendAgain()) {
            return false;
        }
        return switch (e.kind()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, RESOURCE_EXHAUSTED, INTERNAL, DATA_LOSS -> true;
            default -> false;
        };
    }

    private static List<Replica> chainOf(AllocateChunkResponse allocated) {
        List<Replica> chain = ClientProtos.toReplicas(allocated.getChainList());
        if (chain.isEmpty()) {
            throw new GranaryException(ErrorKind.UNAVAILABLE, "the master found no chunkserver for chunk "
                    + new ChunkHandle(allocated.getHandle()).hex());
        }
        return chain;
    }

    private static void checkAnswer(WriteChunkResponse answer, ChunkHandle handle, long written) {
        if (answer.getSizeBytes() != written) {
            throw new GranaryException(ErrorKind.INTERNAL, "chunk " + handle.hex() + " was stored with "
                    + answer.getSizeBytes() + " bytes, but " + written + " were sent");
        }
        if (answer.getReplicasCount() == 0) {
            throw new GranaryException(ErrorKind.UNAVAILABLE, "no chunkserver acknowledged chunk " + handle.hex());
        }
    }

    private static List<String> ids(List<Replica> chain) {
        return chain.stream().map(Replica::chunkserverId).toList();
    }

    /**
     * A spool for a new chunk, free or new: at most two exist, one per chunk in flight. Null when there
     * is none (no spool directory, or it failed once for this upload).
     */
    private ChunkSpool takeSpool() {
        if (!freeSpools.isEmpty()) {
            return freeSpools.pop();
        }
        if (spoolsFailed || options.spoolDir() == null) {
            return null;
        }
        try {
            ChunkSpool spool = ChunkSpool.create(options.spoolDir());
            spools.add(spool);
            return spool;
        } catch (IOException | RuntimeException e) {
            spoolsFailed = true;
            log.warn("{}: upload {}: no spool in {} ({}); a failed chain will fail the upload", options.name(),
                    uploadId, options.spoolDir(), e.getMessage());
            return null;
        }
    }

    /** Takes back the spool of a chunk that needs it no more, emptied for the next one. */
    private void giveBack(ChunkSpool spool) {
        spool.clear();
        freeSpools.push(spool);
    }

    private void dropSpool(ChunkSpool spool, IOException e) {
        log.warn("{}: upload {}: the spool failed ({}); a failed chain will fail the upload", options.name(),
                uploadId, e.getMessage());
        spoolsFailed = true;
        spools.remove(spool);
        closeQuietly(spool);
    }

    /** Deletes the spools. */
    @Override
    public void close() {
        spools.forEach(this::closeQuietly);
        spools.clear();
        freeSpools.clear();
    }

    private void closeQuietly(ChunkSpool spool) {
        try {
            spool.close();
        } catch (IOException e) {
            log.debug("{}: upload {}: closing a spool: {}", options.name(), uploadId, e.getMessage());
        }
    }

    /**
     * The pauses of one chunk's write while chunkservers refuse it as busy: each twice the last, from
     * {@link ClientOptions#FIRST_BUSY_PAUSE} up to the refusing node's retry hint, with jitter so that
     * refused writers do not come back together, until {@link ClientOptions#busyPatience()} is spent.
     * A refused write costs the chunkserver at most its first piece, so waiting writers add little
     * load; the chunkservers still shed what they cannot take, and memory stays bounded by the
     * caller's uploads, each holding one piece while it waits.
     */
    private static final class BusyWait {
        private final long deadlineNanos;
        private long nextPauseNanos = ClientOptions.FIRST_BUSY_PAUSE.toNanos();

        BusyWait(Duration patience) {
            this.deadlineNanos = System.nanoTime() + patience.toNanos();
        }

        /**
         * Sleeps before the next attempt.
         *
         * @throws OverloadedException {@code refusal}, when the pause would end past the patience or
         *                             the thread is interrupted (its flag stays set)
         */
        void pause(OverloadedException refusal) {
            long cap = Math.max(refusal.retryAfter().toNanos(), ClientOptions.FIRST_BUSY_PAUSE.toNanos());
            long step = Math.min(nextPauseNanos, cap);
            nextPauseNanos = Math.min(2 * step, cap);
            long pause = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
            if (System.nanoTime() + pause - deadlineNanos > 0) {
                throw refusal;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw refusal;
            }
        }
    }

    /**
     * The bytes of one chunk: those read so far come again from the spool, the rest from the body.
     * The first piece stays in memory until the second is read, so a chunk of one piece (a small
     * file) needs no spool file, and a chain failing on the first piece can be retried without one.
     */
    private final class Pieces {
        private final BodyReader body;
        private final long chunkSize;
        private ChunkSpool kept;
        private ByteString held;
        private long taken;
        private boolean sentBeyondHeld;
        private boolean bodyFailed;

        Pieces(ByteString first, BodyReader body, long chunkSize) {
            this.body = body;
            this.chunkSize = chunkSize;
            this.held = first;
            this.taken = first.size();
        }

        /**
         * True when the chunk can go to another chain: every byte taken so far can be sent again, the
         * body did not fail, and the uploading thread was not interrupted.
         */
        boolean canSendAgain() {
            return (kept != null || !sentBeyondHeld) && !bodyFailed && !Thread.currentThread().isInterrupted();
        }

        /** The size of the first piece {@link #send} sends with pieces of {@code pieceBytes}; 0 if unknown. */
        long firstPieceBytes(int pieceBytes) {
            return kept != null ? Math.min(pieceBytes, taken) : held != null ? held.size() : 0;
        }

        /** Sends the whole chunk to {@code sink}; the bytes sent. */
        long send(Consumer<ByteString> sink, int pieceBytes) {
            if (kept != null) {
                try {
                    kept.replay(pieceBytes, sink);
                } catch (IOException e) {
                    ChunkSpool broken = kept;
                    kept = null;
                    sentBeyondHeld = true; // what was read cannot come back: no further attempt
                    dropSpool(broken, e);
                    throw new GranaryException(ErrorKind.INTERNAL, "the chunk's spool could not be read: "
                            + e.getMessage(), e);
                }
            } else {
                sink.accept(held);
            }
            while (taken < chunkSize) {
                ByteString next = read((int) Math.min(pieceBytes, chunkSize - taken));
                if (next == null) {
                    break;
                }
                if (!sentBeyondHeld) {
                    kept = takeSpool();
                    keep(held);
                    sentBeyondHeld = true;
                    held = null;
                }
                taken += next.size();
                keep(next);
                sink.accept(next);
            }
            return taken;
        }

        private ByteString read(int max) {
            try {
                return body.next(max);
            } catch (RuntimeException e) {
                bodyFailed = true;
                throw e;
            }
        }

        private void keep(ByteString piece) {
            if (kept == null) {
                return;
            }
            try {
                kept.append(piece);
            } catch (IOException e) {
                ChunkSpool broken = kept;
                kept = null;
                dropSpool(broken, e);
            }
        }

        /** Gives the spool back once the chunk is acknowledged or given up; the chunk is not sent again. */
        void release() {
            if (kept != null) {
                giveBack(kept);
                kept = null;
            }
            held = null;
            sentBeyondHeld = true;
        }
    }
}
