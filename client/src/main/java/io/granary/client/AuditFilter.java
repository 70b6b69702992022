package io.granary.client;

import java.time.Instant;

/**
 * Which audit entries to list: between two instants (inclusive; null for no bound), of one actor
 * (principal id), at or below a path, of one action ("" for any of them), older than the entry
 * {@code after} (the {@link AuditPage#next()} of the previous page; "" for the newest), at most
 * {@code limit} (1 to 1000; 0 for 100).
 */
public record AuditFilter(Instant since, Instant until, String actor, String path, String action, String after,
                          int limit) {
    public AuditFilter {
        actor = actor == null ? "" : actor;
        path = path == null ? "" : path;
        action = action == null ? "" : action;
        after = after == null ? "" : after;
    }

    /** The newest {@code limit} entries of every kind. */
    public static AuditFilter newest(int limit) {
        return new AuditFilter(null, null, "", "", "", "", limit);
    }
}
