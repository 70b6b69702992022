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
 */
public record ClusterView(String masterId, List<ChunkServerView> chunkservers, long underReplicatedChunks,
                          long missingChunks, int defaultReplication, long defaultChunkSize,
                          String metadataStoreError) {
    public ClusterView {
        chunkservers = List.copyOf(chunkservers);
        metadataStoreError = metadataStoreError == null ? "" : metadataStoreError;
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
