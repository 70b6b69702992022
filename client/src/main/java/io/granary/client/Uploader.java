package io.granary.client;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.OverloadedException;
import io.granary.common.grpc.ChannelPool;
import io.granary.common.meta.FileMeta;
import io.granary.proto.AllocateChunkResponse;
import io.granary.proto.FileInfo;
import io.granary.proto.StartUploadResponse;
import java.io.InputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one upload body into chunks: StartUpload (which also allocates chunk 0), then per chunk
 * WriteChunk to the chain (after AllocateChunk from chunk 1 on; each chunk streams while the one before
 * it commits, and a failed chain is replaced, see
 * {@link RetryingChunkWrite}), then CommitUpload. Any failure abandons the upload, so nothing becomes
 * visible. Stateless between uploads, so one instance serves concurrent uploads.
 *
 * <p>A commit whose outcome is unknown (no answer in time, the master or its store unavailable) is
 * settled before the upload answers: the commit is asked again, up to {@link #SETTLE_ATTEMPTS} times
 * (it is idempotent: a committed upload answers its file), then abandoned, up to as many times (an
 * abandon fences every later commit). The upload then answers only what is known: the file; UNAVAILABLE
 * "was abandoned: nothing changed"; or, when no call answered, {@link UploadOutcomeUnknownException}.
 * Each call has the metadata deadline, so settling takes at most 2 x SETTLE_ATTEMPTS of them.
 */
final class Uploader {
    private static final Logger log = LoggerFactory.getLogger(Uploader.class);
    /** How many times a commit with an unknown outcome is asked again, and then abandoned. */
    static final int SETTLE_ATTEMPTS = 2;
    /** The pause before the first repeated call; it doubles with each further one. */
    private static final long SETTLE_BACKOFF_MS = 200;

    private final MasterCalls master;
    private final ChannelPool channels;
    private final ClientOptions options;

    Uploader(MasterCalls master, ChannelPool channels, ClientOptions options) {
        this.master = master;
        this.channels = channels;
        this.options = options;
    }

    FileMeta upload(GranaryPath path, InputStream body, UploadOptions uploadOptions) {
        StartUploadResponse started = master.startUpload(path, uploadOptions);
        String uploadId = started.getUploadId();
        try {
            FileInfo committed = writeAndCommit(started,
                    new BodyReader(body, uploadOptions.computesMd5()), uploadOptions);
            log.debug("{}: committed upload {} to {} ({} bytes)", options.name(), uploadId, path,
                    committed.getSizeBytes());
            return ClientProtos.toFileMeta(committed);
        } catch (UploadOutcomeUnknownException e) {
            log.warn("{}: upload {} to {}: {}", options.name(), uploadId, path, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            GranaryException failure = asGranaryException(e);
            log.info("{}: upload {} to {} failed, abandoning it: {}", options.name(), uploadId, path,
                    failure.getMessage());
            abandon(uploadId);
            throw failure;
        } catch (Error e) { // ends the upload too: its chunks go now, not when the upload expires
            log.warn("{}: upload {} to {} failed with {}, abandoning it", options.name(), uploadId, path, e.toString());
            abandon(uploadId);
            if (e instanceof OutOfMemoryError) { // refused for now, not broken: the memory comes back as uploads end
                throw new OverloadedException("upload to " + path + " refused: out of memory (" + e.getMessage() + ")",
                        OverloadedException.DEFAULT_RETRY_AFTER, e);
            }
            throw e;
        }
    }

    private FileInfo writeAndCommit(StartUploadResponse started, BodyReader body, UploadOptions uploadOptions) {
        String uploadId = started.getUploadId();
        long chunkSize = started.getChunkSizeBytes();
        if (chunkSize <= 0) {
            throw new GranaryException(ErrorKind.INTERNAL, "the master gave upload " + uploadId
                    + " a chunk size of " + chunkSize);
        }
        // Chunk 0 came with StartUpload (unless the master is older): unused for an empty body, it is
        // collected with the upload's other uncommitted handles.
        AllocateChunkResponse preallocated = started.hasFirstChunk() ? started.getFirstChunk() : null;
        List<WrittenChunk> chunks;
        try (RetryingChunkWrite writes = new RetryingChunkWrite(master, channels, options, uploadId,
                uploadOptions.actor())) {
            chunks = writes.writeAll(k -> k, preallocated, body, chunkSize);
        }
        long total = chunks.stream().mapToLong(WrittenChunk::size).sum();
        String sha256 = body.sha256Hex();
        checkDigests(uploadOptions, sha256, body);
        return commit(uploadId, chunks, total, sha256, uploadOptions.computesMd5() ? body.md5Hex() : "");
    }

    /** Commits, settling an unknown outcome (see the class comment). */
    private FileInfo commit(String uploadId, List<WrittenChunk> chunks, long total, String sha256, String etag) {
        GranaryException unknown;
        try {
            return master.commitUpload(uploadId, chunks, total, sha256, etag);
        } catch (GranaryException e) {
            if (!outcomeUnknown(e)) {
                throw e; // refused: nothing changed
            }
            unknown = e;
        }
        for (int attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
            log.info("{}: the commit of upload {} has an unknown outcome, asking again: {}", options.name(),
                    uploadId, unknown.getMessage());
            backOff(attempt);
            try {
                return master.commitUpload(uploadId, chunks, total, sha256, etag);
            } catch (GranaryException e) {
                if (!outcomeUnknown(e)) {
                    throw e;
                }
                unknown = e;
            }
        }
        for (int attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
            backOff(attempt);
            try {
                master.abandonUpload(uploadId);
            } catch (GranaryException e) {
                if (e.kind() == ErrorKind.ALREADY_EXISTS) {
                    return committedAfterAll(uploadId, chunks, total, sha256, etag);
                }
                if (!outcomeUnknown(e)) {
                    throw e;
                }
                continue;
            }
            throw new GranaryException(ErrorKind.UNAVAILABLE, "the commit of upload " + uploadId
                    + " was not confirmed (" + unknown.getMessage() + "), so it was abandoned: nothing changed");
        }
        throw new UploadOutcomeUnknownException("upload " + uploadId + " may or may not have been committed: "
                + "neither the commit nor the abandon was answered (" + unknown.getMessage() + "); read the path "
                + "to find out once the cluster answers", unknown);
    }

    /** The file of an upload the master says is committed: its commit answers it again. */
    private FileInfo committedAfterAll(String uploadId, List<WrittenChunk> chunks, long total, String sha256,
                                       String etag) {
        try {
            return master.commitUpload(uploadId, chunks, total, sha256, etag);
        } catch (GranaryException e) {
            throw new UploadOutcomeUnknownException("upload " + uploadId + " was committed, but its file could "
                    + "not be read back (" + e.getMessage() + "); read the path once the cluster answers", e);
        }
    }

    /** A failure after which the call may or may not have taken effect. */
    static boolean outcomeUnknown(GranaryException e) {
        return e.kind() == ErrorKind.UNAVAILABLE || e.kind() == ErrorKind.DEADLINE_EXCEEDED
                || e.kind() == ErrorKind.CANCELLED;
    }

    /** Waits before repeated call {@code attempt} (from 0) of a settlement: the pause doubles each time. */
    static void backOff(int attempt) {
        try {
            Thread.sleep(SETTLE_BACKOFF_MS << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GranaryException(ErrorKind.CANCELLED, "interrupted while settling a commit", e);
        }
    }

    /** The uploader's own digests, checked before the commit so that a damaged body never becomes a file. */
    private static void checkDigests(UploadOptions uploadOptions, String sha256, BodyReader body) {
        if (!uploadOptions.expectedSha256().isEmpty() && !uploadOptions.expectedSha256().equals(sha256)) {
            throw GranaryException.invalid("the body's SHA-256 is " + sha256 + ", not the expected "
                    + uploadOptions.expectedSha256());
        }
        if (!uploadOptions.expectedMd5().isEmpty()) {
            String md5 = body.md5Base64();
            if (!uploadOptions.expectedMd5().equals(md5)) {
                throw GranaryException.invalid("the body's MD5 is " + md5 + ", not the expected "
                        + uploadOptions.expectedMd5());
            }
        }
    }

    private void abandon(String uploadId) {
        try {
            master.abandonUpload(uploadId);
        } catch (RuntimeException e) {
            // Best effort: an upload that is never committed stays invisible either way.
            log.warn("{}: could not abandon upload {}: {}", options.name(), uploadId, e.getMessage());
        }
    }

    private GranaryException asGranaryException(RuntimeException e) {
        if (e instanceof GranaryException ge) {
            return ge;
        }
        log.error("{}: unexpected upload failure", options.name(), e);
        return new GranaryException(ErrorKind.INTERNAL, "upload failed: " + e.getClass().getSimpleName(), e);
    }
}
