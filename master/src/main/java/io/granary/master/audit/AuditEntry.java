package io.granary.master.audit;

/**
 * One change the master made, as the audit log keeps it.
 *
 * @param id        the entry's stream id ({@code <ms>-<n>}), unique and ordered: the paging cursor
 * @param timeMs    when it happened, ms since the Unix epoch on Redis's clock (the id's first part)
 * @param action    what happened: {@code upload}, {@code overwrite}, {@code delete}, {@code rename},
 *                  {@code mkdir}, {@code rmdir}, {@code visibility}, {@code replication},
 *                  {@code token.create}, {@code token.revoke}, {@code grant.create}, {@code grant.revoke}
 * @param path      the absolute path changed, a rename's source; "" for a token
 * @param actor     principal id of who asked; "" for the cluster itself
 * @param address   the client's IP address as the gateway decided it; "" when unknown
 * @param requestId the request id of the call; "" when it had none
 * @param detail    the rest, as space-separated {@code name=value} pairs
 */
public record AuditEntry(String id, long timeMs, String action, String path, String actor, String address,
                         String requestId, String detail) {
}
