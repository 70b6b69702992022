package io.granary.common.meta;

import java.util.List;

/**
 * One page of the open multipart uploads below a path prefix.
 *
 * @param uploads      ordered by path, then upload id
 * @param nextPath     the path to pass as "after" for the next page when {@code truncated}, else ""
 * @param nextUploadId the upload id to pass with it when {@code truncated}, else ""
 * @param truncated    more uploads follow this page
 */
public record UploadListing(List<MultipartUpload> uploads, String nextPath, String nextUploadId,
                            boolean truncated) {
    public UploadListing {
        uploads = List.copyOf(uploads);
    }
}
