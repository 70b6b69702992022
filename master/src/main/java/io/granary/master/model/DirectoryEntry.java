package io.granary.master.model;

/**
 * One entry of a directory listing.
 *
 * @param name       the entry's name in its directory (one path segment)
 * @param sizeBytes  a file's size, or the total size of everything below a directory
 * @param modifiedMs last modification time (epoch ms)
 */
public record DirectoryEntry(String name, EntryType type, long sizeBytes, long modifiedMs) {
}
