package io.granary.master.model;

import java.util.List;

/**
 * One page of a directory listing, entries in byte order of their UTF-8 names.
 *
 * @param next the name to list after for the next page; empty when this page is the last
 */
public record DirectoryPage(List<DirectoryEntry> entries, String next) {
    public DirectoryPage {
        entries = List.copyOf(entries);
    }
}
