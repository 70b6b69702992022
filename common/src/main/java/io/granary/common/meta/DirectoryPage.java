package io.granary.common.meta;

import java.util.List;

/**
 * One page of a directory listing, entries in byte order of their UTF-8 names.
 *
 * @param next the name to pass as {@code after} for the next page; "" when this page is the last
 */
public record DirectoryPage(List<DirectoryEntry> entries, String next) {
    public DirectoryPage {
        entries = List.copyOf(entries);
        next = next == null ? "" : next;
    }

    public boolean hasNext() {
        return !next.isEmpty();
    }
}
