package io.granary.master.cluster;

import io.granary.common.ChunkHandle;
import java.util.List;

/**
 * What one balancing round decided.
 *
 * @param moves    replicas to move now, fullest source first
 * @param average  used bytes over capacity of the chunkservers taking part, 0 to 1
 * @param outside  ids of those whose usage lies outside the threshold of the average; empty when balanced
 * @param detail   why nothing can move although some are outside; empty otherwise
 */
public record BalancePlan(List<Move> moves, double average, List<String> outside, String detail) {
    public BalancePlan {
        moves = List.copyOf(moves);
        outside = List.copyOf(outside);
    }

    static BalancePlan idle(double average, List<String> outside, String detail) {
        return new BalancePlan(List.of(), average, outside, detail);
    }

    /** Copy {@code handle} from {@code source} to {@code target}, then delete it on the source; about {@code bytes}. */
    public record Move(ChunkHandle handle, ChunkServerInfo source, ChunkServerInfo target, long bytes) {
    }
}
