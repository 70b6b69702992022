package io.granary.master.cluster;

/**
 * A snapshot of one registered chunkserver as the master sees it.
 *
 * @param promisedBytes   space promised to chunks allocated on it since its last heartbeat, so that
 *                        concurrent uploads spread out before its usage catches up
 * @param lastHeartbeatMs time of the last successful heartbeat, epoch ms; 0 if none yet
 */
public record ChunkServerInfo(
        String id,
        String address,
        long capacityBytes,
        long usedBytes,
        long chunkCount,
        long lastHeartbeatMs,
        boolean alive,
        long promisedBytes) {

    /** Bytes still free once promised chunks land; never negative. */
    public long freeBytes() {
        return Math.max(0, capacityBytes - usedBytes - promisedBytes);
    }
}
