package io.granary.common;

/**
 * The rules of a multipart upload (S3's semantics; also Granary's resumable upload) that every role
 * shares: the part numbers, how a part's chunks are numbered, and how a refused completion says why.
 *
 * <p>A completion is refused with {@link ErrorKind#FAILED_PRECONDITION}, changing nothing, and a message
 * starting with one of {@link #INVALID_PART}, {@link #INVALID_PART_ORDER} or {@link #ENTITY_TOO_SMALL},
 * so a gateway can answer S3's {@code InvalidPart}, {@code InvalidPartOrder} or {@code EntityTooSmall}.
 */
public final class Multipart {
    /** Part numbers run from 1 to this. */
    public static final int MAX_PART_NUMBER = 10_000;
    /**
     * Chunks one part may have: part {@code p}'s chunks are allocated with the indexes
     * {@code (p - 1) * MAX_CHUNKS_PER_PART} upwards, so no two parts' chunks share an index and every
     * index is a non-negative int. 8 GiB at the smallest chunk size, more than S3's 5 GiB part.
     */
    public static final int MAX_CHUNKS_PER_PART = 1 << 17;
    /** A listed part was never recorded, or was recorded with another MD5. */
    public static final String INVALID_PART = "invalid part: ";
    /** The listed part numbers do not ascend strictly. */
    public static final String INVALID_PART_ORDER = "invalid part order: ";
    /** A listed part other than the last is smaller than the minimum the completion gave. */
    public static final String ENTITY_TOO_SMALL = "entity too small: ";

    private Multipart() {
    }

    /**
     * The index under which chunk {@code chunk} (from 0) of part {@code partNumber} is allocated.
     *
     * @throws GranaryException INVALID_ARGUMENT for a part number out of range or a part with too many chunks
     */
    public static int chunkIndex(int partNumber, int chunk) {
        checkPartNumber(partNumber);
        if (chunk < 0 || chunk >= MAX_CHUNKS_PER_PART) {
            throw GranaryException.invalid("part " + partNumber + " would need more than " + MAX_CHUNKS_PER_PART
                    + " chunks: upload it in smaller parts");
        }
        return (partNumber - 1) * MAX_CHUNKS_PER_PART + chunk;
    }

    /**
     * Checks a part number: 1 to {@value #MAX_PART_NUMBER}.
     *
     * @throws GranaryException INVALID_ARGUMENT otherwise
     */
    public static void checkPartNumber(int partNumber) {
        if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
            throw GranaryException.invalid("part number " + Integer.toUnsignedString(partNumber)
                    + " is not between 1 and " + MAX_PART_NUMBER);
        }
    }
}
