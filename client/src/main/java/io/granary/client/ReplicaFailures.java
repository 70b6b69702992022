package io.granary.client;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.Replica;
import java.util.ArrayList;
import java.util.List;

/**
 * Why each replica of one chunk could not be read, and the error to report once none is left:
 * DATA_LOSS when every replica was corrupt, UNAVAILABLE otherwise. Not thread-safe.
 */
final class ReplicaFailures {
    private final List<String> reasons = new ArrayList<>();
    private boolean onlyDataLoss = true;

    /** Records a failure and returns its description, for logging. */
    String add(Replica replica, ErrorKind kind, String why) {
        String reason = replica.chunkserverId() + " (" + replica.address() + "): " + why;
        reasons.add(reason);
        onlyDataLoss &= kind == ErrorKind.DATA_LOSS;
        return reason;
    }

    GranaryException giveUp(ChunkMeta chunk) {
        String prefix = "no replica of chunk " + chunk.handle().hex() + " could be read: ";
        if (reasons.isEmpty()) {
            return new GranaryException(ErrorKind.UNAVAILABLE, prefix + "the master knows no live replica of it");
        }
        return new GranaryException(onlyDataLoss ? ErrorKind.DATA_LOSS : ErrorKind.UNAVAILABLE,
                prefix + String.join("; ", reasons));
    }
}
