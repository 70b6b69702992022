package io.granary.client;

import io.granary.common.Actor;
import io.granary.common.GranaryException;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.PartRef;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes a multipart upload, settling an unknown outcome before it answers. A completion the master
 * did not answer (no answer in time, the master or its store unavailable) is asked again, up to
 * {@link Uploader#SETTLE_ATTEMPTS} times: a completion is idempotent (a completed upload answers its
 * file), and each new attempt overtakes an earlier one still held on its way to the store, which is then
 * refused, so the first answer tells what happened. Unlike a plain upload's commit, an unconfirmed
 * completion is not abandoned: that would throw away parts that took long to send. When no attempt is
 * answered, {@link UploadOutcomeUnknownException}; the upload is then either completed or still open,
 * and completing it again later tells which.
 */
final class MultipartCompletion {
    private static final Logger log = LoggerFactory.getLogger(MultipartCompletion.class);

    private final MasterCalls master;
    private final ClientOptions options;

    MultipartCompletion(MasterCalls master, ClientOptions options) {
        this.master = master;
        this.options = options;
    }

    FileMeta complete(String uploadId, List<PartRef> parts, String etag, String sha256, long minPartBytes,
                      Actor actor) {
        GranaryException unknown = null;
        for (int attempt = 0; attempt <= Uploader.SETTLE_ATTEMPTS; attempt++) {
            if (unknown != null) {
                log.info("{}: the completion of upload {} has an unknown outcome, asking again: {}", options.name(),
                        uploadId, unknown.getMessage());
                Uploader.backOff(attempt - 1);
            }
            try {
                return ClientProtos.toFileMeta(master.completeMultipart(uploadId, parts, etag, sha256, minPartBytes,
                        actor));
            } catch (GranaryException e) {
                if (!Uploader.outcomeUnknown(e)) {
                    throw e; // refused: nothing changed
                }
                unknown = e;
            }
        }
        throw new UploadOutcomeUnknownException("multipart upload " + uploadId + " may or may not have been "
                + "completed: no completion was answered (" + unknown.getMessage() + "); complete it again once "
                + "the cluster answers (a completed upload answers its file, an open one is completed then)", unknown);
    }
}
