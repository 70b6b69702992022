package io.granary.master.model;

/** An upload just opened, with its chunk 0 already allocated. */
public record StartedUpload(UploadSession session, ChunkAllocation firstChunk) {
}
