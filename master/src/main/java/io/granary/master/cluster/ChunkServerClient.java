package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * How the master talks to chunkservers, without the cluster logic knowing the transport. The gRPC
 * implementation caches one channel per address.
 */
public interface ChunkServerClient extends AutoCloseable {

    /**
     * Sends one heartbeat. Never blocks; thread-safe. The future completes with the reply, or
     * exceptionally (a {@link io.granary.common.GranaryException}) when the chunkserver does not answer
     * within the deadline or fails.
     */
    CompletableFuture<HeartbeatReply> heartbeat(String address, HeartbeatOrder order, Duration deadline);

    /**
     * Orders the chunkserver at {@code targetAddress} to copy a chunk from {@code sourceAddress}; with
     * {@code replace}, over the bad replica it holds (see CopyChunkRequest.replace). Never blocks; thread-safe. The future completes with the chunk's size in bytes once the copy is
     * durable on the target, or exceptionally with a {@link io.granary.common.GranaryException}.
     */
    CompletableFuture<Long> copyChunk(String targetAddress, ChunkHandle handle, String sourceId, String sourceAddress,
                                      boolean replace, Duration deadline);

    /** Closes every connection. Idempotent. */
    @Override
    void close();

    /** What the master sends: chunks to delete, and whether it wants the full chunk list. */
    record HeartbeatOrder(String masterId, boolean wantReport, List<ChunkHandle> deletes) {
        public HeartbeatOrder {
            deletes = List.copyOf(deletes);
        }
    }

    /**
     * What a chunkserver answers; {@code report} is present when it sent its full chunk list, and
     * {@code corrupt} then lists the reported chunks whose replica there failed a checksum.
     */
    record HeartbeatReply(String chunkServerId, long capacityBytes, long usedBytes, long chunkCount,
                          Optional<List<ChunkHandle>> report, List<ChunkHandle> corrupt) {
        public HeartbeatReply {
            corrupt = List.copyOf(corrupt);
        }
    }
}
