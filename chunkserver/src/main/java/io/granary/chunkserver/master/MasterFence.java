package io.granary.chunkserver.master;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses the orders of a superseded master. Each master to take the lease has a greater fencing
 * epoch; once this chunkserver has heard from one, it refuses heartbeats (with their deletes) and
 * copy orders carrying a lower epoch, so a master that was paused past its lease and resumes acts
 * on nothing here. Epoch 0 (a caller without a lease: a tool, a test) is not fenced. Kept in memory:
 * after a restart the first master to call sets it again. Thread-safe.
 */
public final class MasterFence {
    private static final Logger log = LoggerFactory.getLogger(MasterFence.class);

    private final String nodeId;
    private final AtomicLong highest = new AtomicLong();

    public MasterFence(String nodeId) {
        this.nodeId = nodeId;
    }

    /**
     * Admits an order of the master at {@code epoch}, raising the highest epoch seen.
     *
     * @throws GranaryException FAILED_PRECONDITION when a master with a greater epoch has called
     */
    public void admit(long epoch) {
        if (epoch == 0) {
            return;
        }
        long seen = highest.accumulateAndGet(epoch, Math::max);
        if (epoch < seen) {
            log.warn("{}: refused an order of master epoch {}: epoch {} has taken over", nodeId, epoch, seen);
            throw new GranaryException(ErrorKind.FAILED_PRECONDITION, "master epoch " + epoch
                    + " was superseded by epoch " + seen + "; this chunkserver takes orders from the active master only");
        }
    }

    /** The greatest epoch heard from; 0 before any. */
    public long highest() {
        return highest.get();
    }
}
