package io.granary.master.namespace;

import io.granary.common.GranaryException;
import io.granary.master.model.CommittedChunk;
import io.granary.master.model.UploadSession;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks a commit must pass before anything is written: the chunks are the whole file, in order,
 * each written somewhere. Throws INVALID_ARGUMENT saying what is wrong. Stateless.
 */
final class CommitCheck {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** An MD5 in hex, and for a multipart upload S3's part count after it. */
    private static final Pattern ETAG = Pattern.compile("[0-9a-f]{32}(-[1-9][0-9]{0,4})?");

    private CommitCheck() {
    }

    /** Validates and returns the normalised (lower-case) hash. */
    static String validate(UploadSession upload, List<CommittedChunk> chunks, long sizeBytes, String sha256) {
        String hash = sha256 == null ? "" : sha256.toLowerCase(Locale.ROOT);
        if (!hash.isEmpty() && !SHA256.matcher(hash).matches()) {
            throw GranaryException.invalid("sha256 '" + sha256 + "' is not 64 hex digits");
        }
        if (sizeBytes < 0) {
            throw GranaryException.invalid("size " + sizeBytes + " is negative");
        }
        if (sizeBytes == 0 && !chunks.isEmpty()) {
            throw GranaryException.invalid("a 0-byte file has no chunks, but " + chunks.size() + " were given");
        }
        if (sizeBytes > 0 && chunks.isEmpty()) {
            throw GranaryException.invalid("a " + sizeBytes + "-byte file needs chunks, but none were given");
        }
        checkChunks(upload.chunkSizeBytes(), chunks, sizeBytes);
        return hash;
    }

    /**
     * Checks an entity tag and returns it in lower case: "" (none), 32 hex digits (an MD5), or those
     * followed by {@code -<parts>} (S3's multipart form, 1 to 10000 parts). INVALID_ARGUMENT otherwise.
     */
    static String etag(String etag) {
        String tag = etag == null ? "" : etag.toLowerCase(Locale.ROOT);
        if (!tag.isEmpty() && !ETAG.matcher(tag).matches()) {
            throw GranaryException.invalid("etag '" + etag + "' is neither 32 hex digits nor those followed by "
                    + "'-' and a part count");
        }
        return tag;
    }

    private static void checkChunks(long chunkSize, List<CommittedChunk> chunks, long sizeBytes) {
        Set<Long> seen = new HashSet<>();
        long total = 0;
        for (int i = 0; i < chunks.size(); i++) {
            CommittedChunk chunk = chunks.get(i);
            if (chunk.index() != i) {
                throw GranaryException.invalid("chunk at position " + i + " has index " + chunk.index()
                        + ": chunks must be listed by index from 0, without gaps");
            }
            if (!seen.add(chunk.handle().value())) {
                throw GranaryException.invalid("chunk " + chunk.handle() + " is listed twice");
            }
            boolean last = i == chunks.size() - 1;
            if (!last && chunk.sizeBytes() != chunkSize) {
                throw GranaryException.invalid("chunk " + i + " has " + chunk.sizeBytes()
                        + " bytes: every chunk but the last must have exactly the chunk size, " + chunkSize);
            }
            if (last && (chunk.sizeBytes() <= 0 || chunk.sizeBytes() > chunkSize)) {
                throw GranaryException.invalid("last chunk " + i + " has " + chunk.sizeBytes()
                        + " bytes: it must have 1 to " + chunkSize);
            }
            if (chunk.replicas().isEmpty()) {
                throw GranaryException.invalid("chunk " + i + " has no replica: no chunkserver stored it");
            }
            total += chunk.sizeBytes();
        }
        if (total != sizeBytes) {
            throw GranaryException.invalid("chunk sizes add up to " + total + " bytes, not the file size " + sizeBytes);
        }
    }
}
