package io.granary.client;

import io.granary.common.Actor;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.Multipart;
import io.granary.common.grpc.ChannelPool;
import io.granary.common.meta.PartMeta;
import io.granary.proto.AllocateChunkResponse;
import java.io.InputStream;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one part of a multipart upload into chunks of the upload, as {@link Uploader} streams a body
 * (a failed chain is replaced, and a chunk streams while the one before commits, see {@link RetryingChunkWrite}), hashing
 * it with MD5 and SHA-256 on the way, then records the part at the master. Part {@code p}'s chunks are
 * allocated under {@link Multipart#chunkIndex}. Chunk 0 is allocated before the first byte is read: its
 * answer carries the upload's chunk size, and it refuses a caller that may not add to the upload before
 * any byte is sent. A part that fails records nothing: its chunks stay allocated to the upload, unused,
 * and are collected with its other unused chunks when it is completed, aborted or expires. Stateless
 * between parts, so one instance serves concurrent part uploads.
 */
final class PartUploader {
    private static final Logger log = LoggerFactory.getLogger(PartUploader.class);

    private final MasterCalls master;
    private final ChannelPool channels;
    private final ClientOptions options;

    PartUploader(MasterCalls master, ChannelPool channels, ClientOptions options) {
        this.master = master;
        this.channels = channels;
        this.options = options;
    }

    PartMeta upload(String uploadId, int partNumber, InputStream body, String expectedMd5Base64, Actor actor) {
        Multipart.checkPartNumber(partNumber);
        String expectedMd5 = expectedMd5Base64 == null ? "" : expectedMd5Base64.trim();
        if (!expectedMd5.isEmpty() && !isBase64Md5(expectedMd5)) {
            throw GranaryException.invalid("an expected MD5 is 16 bytes in base64 (24 characters), not '"
                    + expectedMd5 + "'");
        }
        try {
            PartMeta part = writeAndRecord(uploadId, partNumber, new BodyReader(body, true), expectedMd5, actor);
            log.debug("{}: upload {} part {} recorded ({} bytes)", options.name(), uploadId, partNumber, part.size());
            return part;
        } catch (RuntimeException e) {
            log.info("{}: upload {} part {} failed, nothing recorded: {}", options.name(), uploadId, partNumber,
                    e.getMessage());
            throw e;
        }
    }

    private PartMeta writeAndRecord(String uploadId, int partNumber, BodyReader body, String expectedMd5,
                                    Actor actor) {
        AllocateChunkResponse first = master.allocateChunk(uploadId, Multipart.chunkIndex(partNumber, 0), Set.of(),
                actor);
        long chunkSize = first.getChunkSizeBytes();
        if (chunkSize <= 0) {
            throw new GranaryException(ErrorKind.INTERNAL, "the master gave upload " + uploadId
                    + " a chunk size of " + chunkSize);
        }
        List<WrittenChunk> chunks;
        try (RetryingChunkWrite writes = new RetryingChunkWrite(master, channels, options, uploadId, actor)) {
            chunks = writes.writeAll(k -> Multipart.chunkIndex(partNumber, k), first, body, chunkSize);
        }
        long total = chunks.stream().mapToLong(WrittenChunk::size).sum();
        String sha256 = body.sha256Hex();
        if (!expectedMd5.isEmpty() && !expectedMd5.equals(body.md5Base64())) {
            throw GranaryException.invalid("the part's MD5 is " + body.md5Base64() + ", not the expected "
                    + expectedMd5);
        }
        return record(uploadId, partNumber, chunks, total, body.md5Hex(), sha256, actor);
    }

    /**
     * Records the part, asking again when the outcome is unknown: recording the same chunks under the
     * same number again changes nothing, so a repeated call is safe.
     */
    private PartMeta record(String uploadId, int partNumber, List<WrittenChunk> chunks, long size, String md5Hex,
                            String sha256, Actor actor) {
        for (int attempt = 0; ; attempt++) {
            try {
                return ClientProtos.toPartMeta(master.recordPart(uploadId, partNumber, chunks, size, md5Hex, sha256,
                        actor));
            } catch (GranaryException e) {
                if (!Uploader.outcomeUnknown(e) || attempt == Uploader.SETTLE_ATTEMPTS) {
                    throw e;
                }
                log.info("{}: recording part {} of upload {} has an unknown outcome, asking again: {}",
                        options.name(), partNumber, uploadId, e.getMessage());
                Uploader.backOff(attempt);
            }
        }
    }

    private static boolean isBase64Md5(String text) {
        try {
            return Base64.getDecoder().decode(text).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
