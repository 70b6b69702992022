package io.granary.client;

import io.granary.common.ChunkHandle;
import java.util.List;

/**
 * The master's fsck: committed chunks that need attention, most endangered first.
 *
 * @param chunksChecked committed chunks the master looked at
 * @param problems      chunks that are missing, have a corrupt replica, or are under-replicated
 */
public record FsckView(long chunksChecked, List<Problem> problems) {
    public FsckView {
        problems = List.copyOf(problems);
    }

    /** True when every committed chunk has all its replicas, none of them corrupt. */
    public boolean healthy() {
        return problems.isEmpty();
    }

    /**
     * One chunk that needs attention.
     *
     * @param path            file it belongs to ("" if the file went away during the check)
     * @param index           its position in the file
     * @param wantedReplicas  replicas the file wants
     * @param goodReplicas    live replicas not known to be corrupt
     * @param corruptReplicas chunkserver ids holding a corrupt replica
     * @param state           "missing", "corrupt" or "under-replicated"
     */
    public record Problem(ChunkHandle handle, String path, int index, int wantedReplicas, int goodReplicas,
                          List<String> corruptReplicas, String state) {
        public Problem {
            corruptReplicas = List.copyOf(corruptReplicas);
        }
    }
}
