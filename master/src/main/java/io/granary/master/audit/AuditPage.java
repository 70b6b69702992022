package io.granary.master.audit;

import java.util.List;

/**
 * A page of the audit log, newest first.
 *
 * @param next the cursor of the next page ({@link AuditQuery#after}); "" when no older entry remains
 */
public record AuditPage(List<AuditEntry> entries, String next) {
    public AuditPage {
        entries = List.copyOf(entries);
    }
}
