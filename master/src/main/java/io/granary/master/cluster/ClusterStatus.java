package io.granary.master.cluster;

import java.util.List;

/**
 * The cluster as the master sees it now.
 *
 * @param chunkServers     every registered chunkserver, ordered by id
 * @param underReplicated  committed chunks with at least one but fewer live replicas than wanted
 * @param missing          committed chunks with no live replica
 */
public record ClusterStatus(List<ChunkServerInfo> chunkServers, long underReplicated, long missing) {
    public ClusterStatus {
        chunkServers = List.copyOf(chunkServers);
    }
}
