package io.granary.common.meta;

/**
 * A part chosen for a completed multipart upload: its number and the MD5 it must have been recorded with.
 *
 * @param partNumber 1 to {@link io.granary.common.Multipart#MAX_PART_NUMBER}
 * @param md5Hex     lower-case (or upper-case) hex MD5, as {@link PartMeta#md5Hex()}
 */
public record PartRef(int partNumber, String md5Hex) {
}
