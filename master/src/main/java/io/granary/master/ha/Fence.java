package io.granary.master.ha;

import io.granary.common.NotActiveException;

/** Whose fencing epoch a store's changes carry, and what to do when Redis finds it superseded. */
public interface Fence {
    /** The caller's fencing epoch. */
    long epoch();

    /**
     * Redis refused {@code epoch}: a newer master holds the lease. Called on the refused call's
     * thread; returns the exception that call throws. Thread-safe.
     */
    NotActiveException superseded(long epoch, String detail);
}
