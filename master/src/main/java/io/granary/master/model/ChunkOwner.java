package io.granary.master.model;

/** The file a committed chunk belongs to, and the chunk's position in it. */
public record ChunkOwner(String path, int index) {
}
