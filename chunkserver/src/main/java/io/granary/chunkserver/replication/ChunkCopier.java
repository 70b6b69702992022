package io.granary.chunkserver.replication;

import io.granary.chunkserver.integrity.BandwidthThrottle;
import io.granary.chunkserver.store.ChunkStore;
import io.granary.chunkserver.store.ChunkWriter;
import io.granary.common.ChunkHandle;
import io.granary.common.GranaryException;
import io.granary.common.grpc.ChannelPool;
import io.granary.common.grpc.GrpcErrors;
import io.granary.proto.ChunkServerServiceGrpc;
import io.granary.proto.ReadChunkRequest;
import io.granary.proto.ReadChunkResponse;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs a chunk on this node by pulling it from another replica (the master's CopyChunk order):
 * ReadChunk from the source, whose every block is verified there, written here through the store,
 * which computes fresh checksums and fsyncs before the chunk becomes visible. A stream that
 * completes carries the whole chunk (a read of length 0 runs to its end); one that fails leaves
 * nothing behind. Paced by a shared bandwidth cap. Blocks its caller: run it on the copy pool.
 */
public final class ChunkCopier {
    private static final Logger log = LoggerFactory.getLogger(ChunkCopier.class);

    private final String nodeId;
    private final ChunkStore store;
    private final ChannelPool channels;
    private final BandwidthThrottle throttle;
    private final Duration deadline;

    public ChunkCopier(String nodeId, ChunkStore store, ChannelPool channels, BandwidthThrottle throttle,
                       Duration deadline) {
        this.nodeId = nodeId;
        this.store = store;
        this.channels = channels;
        this.throttle = throttle;
        this.deadline = deadline;
    }

    /**
     * Copies a chunk from the replica at {@code sourceAddress}; returns its size in bytes.
     *
     * @param replace the replica here is bad: the copy takes its place atomically once durable
     * @throws GranaryException ALREADY_EXISTS when the chunk is here and {@code replace} is false,
     *     RESOURCE_EXHAUSTED when it does not fit, or the source's failure (UNAVAILABLE, NOT_FOUND,
     *     DATA_LOSS, ...)
     */
    public long copy(ChunkHandle handle, String sourceId, String sourceAddress, boolean replace) {
        long started = System.nanoTime();
        // A cancellable context, so that a local failure also ends the source's stream at once.
        Context.CancellableContext call = Context.current().withCancellation();
        Context previous = call.attach();
        try (ChunkWriter writer = replace ? store.replace(handle) : store.create(handle)) {
            Iterator<ReadChunkResponse> pieces = ChunkServerServiceGrpc.newBlockingStub(channels.channel(sourceAddress))
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .readChunk(ReadChunkRequest.newBuilder().setHandle(handle.value()).build());
            while (pieces.hasNext()) {
                ReadChunkResponse piece = pieces.next();
                throttle.acquire(piece.getData().size());
                writer.write(piece.getData().asReadOnlyByteBuffer());
            }
            writer.commit(writer.bytesWritten());
            log.debug("{}: copied chunk {} ({} bytes) from {}{} in {} ms", nodeId, handle, writer.bytesWritten(),
                    sourceId, replace ? " over the bad replica here" : "", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return writer.bytesWritten();
        } catch (StatusRuntimeException e) {
            GranaryException cause = GrpcErrors.fromStatus(e);
            throw new GranaryException(cause.kind(), "copying chunk " + handle + " from " + sourceId + " to "
                    + nodeId + ": " + cause.getMessage(), e);
        } finally {
            call.detach(previous);
            call.cancel(null);
        }
    }
}
