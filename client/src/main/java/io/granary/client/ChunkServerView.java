package io.granary.client;

import java.time.Instant;

/**
 * One chunkserver as the master sees it.
 *
 * @param id            stable identity
 * @param address       host:port of its gRPC endpoint
 * @param alive         false once it missed heartbeats for the master's dead-after period
 * @param capacityBytes bytes it may store in all
 * @param usedBytes     bytes its chunks use now
 * @param chunks        chunk replicas it holds
 * @param lastHeartbeat last successful heartbeat; {@code null} if none yet
 * @param decommission  where it is in leaving the cluster
 */
public record ChunkServerView(String id, String address, boolean alive, long capacityBytes, long usedBytes,
                              long chunks, Instant lastHeartbeat, DecommissionView decommission) {
    public ChunkServerView {
        decommission = decommission == null ? DecommissionView.NORMAL : decommission;
    }
}
