package io.granary.common.meta;

import java.util.List;

/**
 * One page of a multipart upload's parts.
 *
 * @param upload         the upload they belong to
 * @param parts          in part-number order
 * @param nextPartNumber what to pass as "after" for the next page: the last part of this one when
 *                       {@code truncated}, else 0
 * @param truncated      more parts follow this page
 */
public record PartListing(MultipartUpload upload, List<PartMeta> parts, int nextPartNumber, boolean truncated) {
    public PartListing {
        parts = List.copyOf(parts);
    }
}
