package io.granary.client;

import java.util.List;

/**
 * The master's view of the cluster.
 *
 * @param masterId               id of the master that answered
 * @param chunkservers           every registered chunkserver, alive or not, ordered by id
 * @param underReplicatedChunks  committed chunks with fewer live replicas than wanted (but at least one)
 * @param missingChunks          committed chunks with no live replica
 * @param defaultReplication     replication used when an upload asks for none
 * @param defaultChunkSize       chunk size in bytes used when an upload asks for none
 * @param metadataStoreError     empty when the master's metadata store (Redis) answers; else why not
 * @param repair                 corruption, repair, garbage collection and safe mode counts
 * @param balancer               the balancer's state
 */
public record ClusterView(String masterId, List<ChunkServerView> chunkservers, long underReplicatedChunks,
                          long missingChunks, int defaultReplication, long defaultChunkSize,
                          String metadataStoreError, Repair repair, Balancer balancer) {
    public ClusterView {
        chunkservers = List.copyOf(chunkservers);
        metadataStoreError = metadataStoreError == null ? "" : metadataStoreError;
        repair = repair == null ? Repair.NONE : repair;
        balancer = balancer == null ? Balancer.OFF : balancer;
    }

    /**
     * The master's self-healing work.
     *
     * @param corruptChunks    committed chunks with a replica known to be corrupt
     * @param repairQueue      chunks waiting for a copy to be scheduled
     * @param repairsInFlight  copies running now, chunkserver to chunkserver
     * @param gcPendingBytes   estimated bytes waiting for garbage collection
     * @param trashChunks      chunks of deleted files still in their grace period
     * @param safeModeDetail   why the master is in safe mode ("2 of 4 chunkservers reported"); empty if not
     */
    public record Repair(long corruptChunks, long repairQueue, long repairsInFlight, long gcPendingBytes,
                         long trashChunks, String safeModeDetail) {
        public static final Repair NONE = new Repair(0, 0, 0, 0, 0, "");

        public Repair {
            safeModeDetail = safeModeDetail == null ? "" : safeModeDetail;
        }

        public boolean safeMode() {
            return !safeModeDetail.isEmpty();
        }
    }

    /**
     * The master's balancer, which moves replicas from the fullest chunkservers to the emptiest until
     * each one's usage (used over capacity) lies within the threshold of the average.
     *
     * @param state              {@code off}, {@code waiting} (safe mode or repairs come first),
     *                           {@code balancing} or {@code balanced}
     * @param thresholdPercent   percentage points a chunkserver's usage may lie from the average
     * @param bandwidthBytesPerSecond bytes per second the moves copy at most, in the whole cluster
     * @param averageUsagePercent usage of the live chunkservers in service together, in percent
     * @param outsideThreshold   ids of the chunkservers outside the threshold at the last round
     * @param movesInFlight      moves copying now
     * @param chunksMoved        moves done since the master became active
     * @param bytesMoved         bytes those moves copied
     * @param detail             why it waits or cannot move anything; empty otherwise
     */
    public record Balancer(String state, double thresholdPercent, long bandwidthBytesPerSecond,
                           double averageUsagePercent, List<String> outsideThreshold, long movesInFlight,
                           long chunksMoved, long bytesMoved, String detail) {
        public static final Balancer OFF = new Balancer("off", 0, 0, 0, List.of(), 0, 0, 0, "");

        public Balancer {
            state = state == null || state.isEmpty() ? "off" : state;
            outsideThreshold = List.copyOf(outsideThreshold);
            detail = detail == null ? "" : detail;
        }
    }

    /** Whether the master could reach its metadata store when it answered. */
    public boolean metadataStoreReachable() {
        return metadataStoreError.isEmpty();
    }

    /** Number of chunkservers the master considers alive. */
    public int liveCount() {
        return (int) chunkservers.stream().filter(ChunkServerView::alive).count();
    }
}
