package io.granary.master.cluster;

import io.granary.master.model.DecommissionState;

/**
 * A chunkserver's decommission state as operators see it.
 *
 * @param state           normal, draining or decommissioned
 * @param sinceMs         when draining was asked for, epoch ms; 0 when normal
 * @param chunksToMove    while draining: chunks it holds that still have fewer than their replication
 *                        of good replicas on other live chunkservers in service
 * @param chunksUnmovable of those, chunks that the other live chunkservers in service cannot take
 *                        (too few of them, or no free space): draining cannot finish until more join
 * @param detail          why draining cannot finish now; empty when it is on its way or not draining
 */
public record DecommissionStatus(DecommissionState state, long sinceMs, long chunksToMove, long chunksUnmovable,
                                 String detail) {
    public static final DecommissionStatus NORMAL = new DecommissionStatus(DecommissionState.NORMAL, 0, 0, 0, "");

    public DecommissionStatus {
        detail = detail == null ? "" : detail;
    }
}
