package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import java.util.List;

/**
 * What fsck found: how many committed chunks it checked and those that need attention, most
 * endangered first.
 */
public record FsckReport(long checked, List<Problem> problems) {
    public FsckReport {
        problems = List.copyOf(problems);
    }

    /** Why a chunk needs attention; the most serious state wins. */
    public enum State {
        /** No good live replica: the chunk cannot be read until a holder comes back. */
        MISSING,
        /** A replica failed its checksum; it is replaced, then deleted. */
        CORRUPT,
        /** Fewer good live replicas than the file wants. */
        UNDER_REPLICATED
    }

    /**
     * One chunk that needs attention.
     *
     * @param path    the file it belongs to; empty when the file is gone since the check began
     * @param index   its position in the file; -1 when unknown
     * @param corrupt ids of the chunkservers whose replica is corrupt
     */
    public record Problem(ChunkHandle handle, String path, int index, int wanted, int good, List<String> corrupt,
                          State state) {
        public Problem {
            corrupt = List.copyOf(corrupt);
        }
    }
}
