package io.granary.master.cluster;

import java.util.List;
import java.util.Map;

/**
 * The cluster as the master sees it now.
 *
 * @param chunkServers     every registered chunkserver, ordered by id
 * @param underReplicated  committed chunks with at least one but fewer good live replicas than wanted
 * @param missing          committed chunks with no good live replica
 * @param repair           corruption, repair and collection counts
 * @param decommissions    the chunkservers leaving the cluster, by id; the others are in service
 * @param balancer         the balancer's state
 */
public record ClusterStatus(List<ChunkServerInfo> chunkServers, long underReplicated, long missing,
                            RepairStatus repair, Map<String, DecommissionStatus> decommissions,
                            BalancerStatus balancer) {
    public ClusterStatus {
        chunkServers = List.copyOf(chunkServers);
        decommissions = Map.copyOf(decommissions);
    }

    public ClusterStatus(List<ChunkServerInfo> chunkServers, long underReplicated, long missing) {
        this(chunkServers, underReplicated, missing, RepairStatus.NONE, Map.of(), BalancerStatus.off(BalancerSettings.OFF));
    }

    /** The decommission state of a chunkserver: {@link DecommissionStatus#NORMAL} when it is in service. */
    public DecommissionStatus decommission(String id) {
        return decommissions.getOrDefault(id, DecommissionStatus.NORMAL);
    }

    /**
     * @param corruptChunks    committed chunks with a replica known to be corrupt
     * @param queued           chunks waiting for a copy to be scheduled
     * @param inFlight         copies running now
     * @param gcPendingBytes   estimated bytes of replicas ordered deleted and not yet confirmed
     * @param trashChunks      chunks of deleted files still in their grace period
     * @param safeModeDetail   why the master is in safe mode; empty when it is not
     */
    public record RepairStatus(long corruptChunks, long queued, long inFlight, long gcPendingBytes, long trashChunks,
                               String safeModeDetail) {
        public static final RepairStatus NONE = new RepairStatus(0, 0, 0, 0, 0, "");

        public boolean safeMode() {
            return !safeModeDetail.isEmpty();
        }
    }
}
