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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * <p>Not thread-safe: one upload, one thread. Close it to delete the spool.
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
    private ChunkSpool spool;
    private boolean spoolTried;

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
     * Writes chunk {@code index}: {@code first}, then pieces from {@code body} until the chunk is full
     * or the body ends.
     *
     * @param allocated the chunk's handle and chain; null to ask the master for them
     * @throws OverloadedException when busy chunkservers still refused the chunk after {@link ClientOptions#busyPatience()}
     * @throws GranaryException when the body fails, the master refuses, or {@link #MAX_ATTEMPTS} chains failed
     */
    WrittenChunk write(int index, AllocateChunkResponse allocated, ByteString first, BodyReader body, long chunkSize) {
        AllocateChunkResponse current = allocated != null ? allocated
                : master.allocateChunk(uploadId, index, failed, actor);
        Pieces pieces = new Pieces(first, body, chunkSize);
        BusyWait busy = null;
        int attempt = 1;
        while (true) {
            List<Replica> chain = chainOf(current);
            try {
                return writeOnce(index, new ChunkHandle(current.getHandle()), chain, pieces);
            } catch (OverloadedException e) {
                if (!pieces.canSendAgain()) {
                    throw e;
                }
                if (busy == null) {
                    busy = new BusyWait(options.busyPatience());
                }
                busy.pause(e);
                log.debug("{}: upload {} chunk #{}: chain {} is busy ({}); sending it again", options.name(), uploadId,
                        index, ids(chain), e.getMessage());
                current = master.allocateChunk(uploadId, index, failed, actor);
            } catch (GranaryException e) {
                if (!retryable(e, pieces) || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                attempt++;
                failed.add(chain.get(0).chunkserverId());
                log.info("{}: upload {} chunk #{}: chain {} failed ({}); asking for one without {}", options.name(),
                        uploadId, index, ids(chain), e.getMessage(), failed);
                current = master.allocateChunk(uploadId, index, failed, actor);
            }
        }
    }

    private WrittenChunk writeOnce(int index, ChunkHandle handle, List<Replica> chain, Pieces pieces) {
        ChainWrite writer = ChainWrite.open(ChunkServerServiceGrpc.newStub(channels.channel(chain.get(0).address())),
                handle, chain, options.chunkDeadline(), options.chunkIdleTimeout());
        try {
            long written = pieces.send(writer::sendData, options.pieceSizeBytes());
            WriteChunkResponse answer = writer.finish(written);
            checkAnswer(answer, handle, written);
            log.debug("{}: wrote chunk {} #{} ({} bytes) to {}", options.name(), handle.hex(), index, written,
                    answer.getReplicasList());
            return new WrittenChunk(index, handle, written, answer.getReplicasList());
        } catch (RuntimeException | Error e) { // an Error too: the chain must not keep the write open
            writer.cancel("upload failed");
            throw e;
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

    /** The upload's spool, emptied for a new chunk; null when there is none. */
    private ChunkSpool spool() {
        if (!spoolTried && options.spoolDir() != null) {
            spoolTried = true;
            try {
                spool = ChunkSpool.create(options.spoolDir());
            } catch (IOException | RuntimeException e) {
                log.warn("{}: upload {}: no spool in {} ({}); a failed chain will fail the upload", options.name(),
                        uploadId, options.spoolDir(), e.getMessage());
            }
        }
        if (spool != null) {
            spool.clear();
        }
        return spool;
    }

    private void dropSpool(IOException e) {
        log.warn("{}: upload {}: the spool failed ({}); a failed chain will fail the upload", options.name(),
                uploadId, e.getMessage());
        close();
    }

    @Override
    public void close() {
        if (spool != null) {
            try {
                spool.close();
            } catch (IOException e) {
                log.debug("{}: upload {}: closing the spool: {}", options.name(), uploadId, e.getMessage());
            }
            spool = null;
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

        /** Sends the whole chunk to {@code sink}; the bytes sent. */
        long send(Consumer<ByteString> sink, int pieceBytes) {
            if (kept != null) {
                try {
                    kept.replay(pieceBytes, sink);
                } catch (IOException e) {
                    kept = null;
                    sentBeyondHeld = true; // what was read cannot come back: no further attempt
                    dropSpool(e);
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
                    kept = spool();
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
                kept = null;
                dropSpool(e);
            }
        }
    }
}
