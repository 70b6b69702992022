package io.granary.client;

import java.time.Instant;
import java.util.List;

/**
 * A page of the master's audit log, newest first.
 *
 * @param next the {@link AuditFilter#after()} of the next page; "" when no older entry remains
 */
public record AuditPage(List<Entry> entries, String next) {
    public AuditPage {
        entries = List.copyOf(entries);
    }

    /**
     * One recorded change.
     *
     * @param id        the entry's id, ordered: a paging cursor
     * @param action    upload, overwrite, delete, rename, mkdir, rmdir, visibility, replication,
     *                  token.create, token.revoke, grant.create or grant.revoke
     * @param path      the absolute path changed (a rename's source); "" for a token
     * @param actor     the principal id that asked; "" for the cluster itself
     * @param address   the client's address as the gateway decided it; "" when unknown
     * @param requestId the request id of the call; "" for none
     * @param detail    the rest, as space-separated name=value pairs
     */
    public record Entry(String id, Instant time, String action, String path, String actor, String address,
                        String requestId, String detail) {
    }
}
