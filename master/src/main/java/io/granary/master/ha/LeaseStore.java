package io.granary.master.ha;

import java.time.Duration;
import java.util.Optional;

/**
 * The master lease in the metadata store: at most one holder at a time, each new holder with a
 * greater fencing epoch. The store's own clock ends a lease that is not renewed within its
 * time to live, so a holder that dies or stalls loses it without doing anything.
 */
public interface LeaseStore {

    /** What an attempt to take the lease found. */
    record Attempt(long epoch, Optional<String> holder) {
        /** Whether the caller holds the lease now. */
        public boolean acquired() {
            return epoch > 0;
        }
    }

    /**
     * Takes the lease for {@code holder} (an advertised {@code host:port}) for {@code ttl} when nobody
     * holds it, or when {@code holder} itself does (a restarted master). Answers the new epoch, or 0
     * and the current holder.
     */
    Attempt acquire(String holder, Duration ttl);

    /**
     * Extends the lease of {@code holder} at {@code epoch} to {@code ttl} from now; false when the
     * caller no longer holds it.
     */
    boolean renew(String holder, long epoch, Duration ttl);

    /** Gives up the lease if {@code holder} holds it at {@code epoch}; otherwise does nothing. */
    void release(String holder, long epoch);

    /** The current holder, if any. */
    Optional<String> holder();
}
