package io.granary.master.audit;

import java.time.Duration;

/**
 * Where the audit log is kept. The entries are written by the changes themselves, in the same atomic
 * step (see {@code MetadataStore}); this reads and trims them. Thread-safe; every method blocks on
 * the store and may throw {@code GranaryException} UNAVAILABLE.
 */
public interface AuditStore {

    /**
     * Entries matching {@code query}, newest first, looking at no more than {@code scanBudget} entries:
     * a page may then hold fewer than the limit, with a cursor to go on from.
     */
    AuditPage list(AuditQuery query, int scanBudget);

    /**
     * Drops every entry older than {@code maxAge} on the store's clock (the one entries are stamped
     * with). Fenced as every change is.
     *
     * @return how many entries were dropped
     */
    long trimOlderThan(Duration maxAge);
}
