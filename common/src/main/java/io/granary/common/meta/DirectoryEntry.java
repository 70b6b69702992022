package io.granary.common.meta;

import java.time.Instant;

/**
 * One entry of a directory listing.
 *
 * @param name     the entry's name in its directory (one path segment)
 * @param size     a file's size in bytes, or the total size of every file below a directory
 * @param modified last modification time
 */
public record DirectoryEntry(String name, EntryType type, long size, Instant modified) {
}
