package io.granary.common.meta;

import java.time.Instant;

/**
 * One recorded part of a multipart upload.
 *
 * @param partNumber   1 to {@link io.granary.common.Multipart#MAX_PART_NUMBER}
 * @param size         bytes in the part
 * @param md5Hex       lower-case hex MD5 of its bytes (S3's part ETag, without quotes)
 * @param sha256       lower-case hex SHA-256 of its bytes
 * @param lastModified when it was recorded
 */
public record PartMeta(int partNumber, long size, String md5Hex, String sha256, Instant lastModified) {
}
