package io.granary.master.audit;

import java.time.Duration;

/**
 * The audit log: who changed what, when, from which address and under which request id. Every
 * change is recorded by the script that makes it, in the same atomic step, so an entry exists if and
 * only if the change happened. This reads it, and keeps it within its maximum age (its count is capped
 * as entries are added). Thread-safe.
 */
public final class AuditLog {
    /** Entries looked at per page at most, so a selective filter costs a bounded scan per call. */
    public static final int SCAN_BUDGET = 10_000;

    private final AuditStore store;
    private final Duration maxAge;

    public AuditLog(AuditStore store, Duration maxAge) {
        this.store = store;
        this.maxAge = maxAge;
    }

    /** One page of entries matching {@code query}, newest first (see {@link AuditStore#list}). */
    public AuditPage list(AuditQuery query) {
        return store.list(query, SCAN_BUDGET);
    }

    /** Drops the entries older than the maximum age; answers how many. */
    public long trim() {
        return store.trimOlderThan(maxAge);
    }
}
