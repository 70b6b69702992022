package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import java.util.List;

/**
 * What one repair round decided.
 *
 * @param copies      copies to start now, most endangered chunk first
 * @param deletes     replicas to delete: corrupt ones once enough good copies exist, and surplus ones
 * @param queued      chunks that still need a copy after this round (waiting for a throttle or a target)
 * @param repairable  chunks that need a copy and have a good replica to copy from, started or not
 * @param missing     committed chunks without any good live replica: nothing to copy from
 * @param corrupt     committed chunks with at least one corrupt replica
 */
public record RepairPlan(List<Copy> copies, List<Delete> deletes, int queued, int repairable, int missing,
                         int corrupt) {
    public RepairPlan {
        copies = List.copyOf(copies);
        deletes = List.copyOf(deletes);
    }

    /**
     * Copy {@code handle} from {@code source} to {@code target}; with {@code replace}, the target holds a
     * bad (corrupt or lost) replica that the copy takes the place of.
     */
    public record Copy(ChunkHandle handle, ChunkServerInfo source, ChunkServerInfo target, int goodReplicas,
                       boolean replace) {
    }

    /** Delete the replica of {@code handle} on {@code serverId}; {@code corrupt} says why. */
    public record Delete(ChunkHandle handle, String serverId, boolean corrupt) {
    }
}
