package io.granary.client;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.FileMeta;
import java.util.ArrayList;
import java.util.List;

/** The part of one chunk that a read needs: {@code length} bytes from {@code offsetInChunk}. */
record ChunkRange(ChunkMeta chunk, long offsetInChunk, long length) {

    /**
     * The chunk ranges covering bytes [offset, offset + length) of a file, in file order; empty when
     * length is 0. The caller has checked that the range lies inside the file.
     */
    static List<ChunkRange> plan(FileMeta file, long offset, long length) {
        List<ChunkRange> ranges = new ArrayList<>();
        long end = offset + length;
        long chunkStart = 0;
        for (ChunkMeta chunk : file.chunks()) {
            long chunkEnd = chunkStart + chunk.size();
            long from = Math.max(offset, chunkStart);
            long to = Math.min(end, chunkEnd);
            if (from < to) {
                ranges.add(new ChunkRange(chunk, from - chunkStart, to - from));
            }
            chunkStart = chunkEnd;
        }
        if (chunkStart < end) {
            throw new GranaryException(ErrorKind.INTERNAL, "the chunks of " + file.path() + " hold " + chunkStart
                    + " bytes, not the " + file.size() + " its size says");
        }
        return ranges;
    }
}
