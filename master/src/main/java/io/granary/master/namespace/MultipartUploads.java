package io.granary.master.namespace;

import io.granary.common.Actor;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.Multipart;
import io.granary.common.Visibility;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.EntryType;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.MultipartUpload;
import io.granary.common.meta.PartListing;
import io.granary.common.meta.PartMeta;
import io.granary.common.meta.PartRef;
import io.granary.common.meta.UploadListing;
import io.granary.master.cluster.ClusterState;
import io.granary.master.cluster.GarbageCollector;
import io.granary.master.model.CommittedChunk;
import io.granary.master.model.MetadataStore;
import io.granary.master.model.MetadataStore.CommitAttempt;
import io.granary.master.model.MetadataStore.CompletedMultipart;
import io.granary.master.model.UploadSession;
import io.granary.master.model.WritePrecondition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multipart uploads (S3's semantics, and Granary's resumable upload): a session opened like an upload,
 * whose writer streams each part into chunks allocated to the session ({@link Namespace#allocateChunk},
 * indexes from {@link Multipart#chunkIndex}) and records it here; the completion then makes the file
 * from the chosen parts' chunks in one atomic step that copies no byte, so a file's chunks need not all
 * have the chunk size. Aborting is {@link Namespace#abandonUpload(String, Actor)}, and an idle session
 * expires after the multipart timeout ({@link Namespace#expireUploads(long, long)}); either way its
 * chunks are collected as any abandoned upload's.
 *
 * <p>Only the principal that started a session, or an admin, may add parts to it, complete or abort it
 * (PERMISSION_DENIED). Every method blocks on the store, is thread-safe, and throws
 * {@link GranaryException} with a kind and a message fit for a user.
 */
public final class MultipartUploads {
    private static final Logger log = LoggerFactory.getLogger(MultipartUploads.class);
    /** Parts or uploads per listing page, at most and when the caller asks for 0. */
    public static final int MAX_PAGE = 1000;
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final String masterId;
    private final MetadataStore store;
    private final ClusterState cluster;
    private final GarbageCollector gc;
    private final Namespace namespace;
    private final Clock clock;

    public MultipartUploads(String masterId, MetadataStore store, ClusterState cluster, GarbageCollector gc,
                            Namespace namespace, Clock clock) {
        this.masterId = masterId;
        this.store = store;
        this.cluster = cluster;
        this.gc = gc;
        this.namespace = namespace;
        this.clock = clock;
    }

    /**
     * Opens a multipart upload to a path for {@code actor}, who will own the file. Checked and failing as
     * {@link Namespace#startUpload(String, int, long, String, WritePrecondition, Actor, Visibility, Map)}
     * does; the precondition is checked again at completion.
     */
    public MultipartUpload start(String rawPath, int replication, long chunkSizeBytes, String contentType,
                                 WritePrecondition precondition, Actor actor, Visibility visibility,
                                 Map<String, String> metadata) {
        UploadSession session = namespace.open(rawPath, replication, chunkSizeBytes, contentType, precondition, actor,
                visibility, metadata, true);
        return new MultipartUpload(session.id(), session.path().toString(),
                Instant.ofEpochMilli(session.lastActivityMs()), actor.id(), session.contentType(), session.metadata(),
                session.chunkSizeBytes(), session.replication());
    }

    /**
     * Records part {@code partNumber} of an open multipart upload: chunks allocated to it and written, in
     * order, each of the upload's chunk size but the last (none for a 0-byte part). A part recorded again
     * replaces the earlier one, whose chunks become garbage now. INVALID_ARGUMENT for a part number out of
     * range, digests that are not hex, sizes that do not add up or chunks of the wrong size; NOT_FOUND
     * when the upload is not open; FAILED_PRECONDITION when it is not multipart, or a chunk is not
     * pending for it or belongs to another part; PERMISSION_DENIED for an actor that neither started it
     * nor is an admin.
     *
     * @param md5Hex hex MD5 of the part's bytes (S3's part ETag)
     * @param sha256 hex SHA-256 of the part's bytes
     */
    public PartMeta recordPart(String uploadId, int partNumber, List<CommittedChunk> chunks, long sizeBytes,
                               String md5Hex, String sha256, Actor actor) {
        Namespace.requireUploadId(uploadId);
        Multipart.checkPartNumber(partNumber);
        String md5 = hex(md5Hex, MD5, "MD5", 32);
        String sha = hex(sha256, SHA256, "SHA-256", 64);
        checkChunks(partNumber, chunks, sizeBytes);
        long now = clock.millis();
        // locations first, as a commit does: the part's chunks are held where their writer said
        cluster.written(chunks);
        List<ChunkHandle> garbage = store.recordPart(uploadId, partNumber, chunks, sizeBytes, md5, sha, actor, now);
        gc.discard(garbage);
        log.debug("{}: upload {} part {} recorded ({} bytes, {} chunk(s)){}", masterId, uploadId, partNumber,
                sizeBytes, chunks.size(), garbage.isEmpty() ? "" : ", replacing " + garbage.size() + " chunk(s)");
        return new PartMeta(partNumber, sizeBytes, md5, sha, Instant.ofEpochMilli(now));
    }

    /**
     * Up to {@code limit} (1 to {@value #MAX_PAGE}; 0 for {@value #MAX_PAGE}) parts of an open multipart
     * upload numbered above {@code afterPart}, in order, with the upload. NOT_FOUND when the upload is
     * unknown, settled or not multipart.
     */
    public PartListing listParts(String uploadId, int afterPart, int limit) {
        Namespace.requireUploadId(uploadId);
        if (afterPart < 0) {
            throw GranaryException.invalid("part marker " + Integer.toUnsignedString(afterPart) + " is too large");
        }
        return store.listParts(uploadId, afterPart, pageSize(limit));
    }

    /**
     * Up to {@code limit} (1 to {@value #MAX_PAGE}; 0 for {@value #MAX_PAGE}) open multipart uploads whose
     * absolute path starts with {@code pathPrefix} ("/bucket/photos/"; a missing leading '/' is added),
     * ordered by path then upload id, after {@code afterPath} (an absolute path; "" for the first page)
     * and, for uploads of that path, after {@code afterUploadId} ("" for every upload of it).
     */
    public UploadListing listUploads(String pathPrefix, String afterPath, String afterUploadId, int limit) {
        return store.listMultipartUploads(absolute(pathPrefix), afterPath == null || afterPath.isEmpty() ? ""
                : absolute(afterPath), afterUploadId == null ? "" : afterUploadId, pageSize(limit));
    }

    /**
     * Completes a multipart upload: the file at its path becomes the listed parts' chunks in order, in one
     * atomic step that copies no byte, replacing what was there; chunks of the upload's parts not listed
     * become garbage. Its size is the parts' sum, its metadata and content type the upload's, its etag
     * and SHA-256 as given (for a multipart file, the SHA-256 is a digest the writer composes from its
     * parts', not the content's own). Fenced and settled as {@link Namespace#commitUpload} is, and as
     * idempotent: completing a completed upload again with the same etag and SHA-256 answers the same
     * file.
     *
     * <p>Refused, changing nothing, with FAILED_PRECONDITION and a message starting with
     * {@link Multipart#INVALID_PART_ORDER} (numbers not strictly ascending), {@link Multipart#INVALID_PART}
     * (a part not recorded, or with another MD5) or {@link Multipart#ENTITY_TOO_SMALL} (a part but the last
     * below {@code minPartBytes}); the upload stays open. Otherwise as a commit: INVALID_ARGUMENT for no
     * part, a malformed etag, MD5 or SHA-256; NOT_FOUND without an upload; FAILED_PRECONDITION when it is
     * abandoned or not multipart; PRECONDITION_FAILED when its write precondition no longer holds;
     * PERMISSION_DENIED for an actor that neither started it nor is an admin; DEADLINE_EXCEEDED or
     * UNAVAILABLE when the outcome is for the caller to settle by asking again.
     */
    public FileMeta complete(String uploadId, List<PartRef> parts, String etag, String sha256, long minPartBytes,
                             Actor actor, Duration callerTimeLeft) {
        Namespace.requireUploadId(uploadId);
        List<PartRef> chosen = checkParts(parts);
        String tag = CommitCheck.etag(etag);
        String hash = sha256 == null || sha256.isEmpty() ? "" : hex(sha256, SHA256, "SHA-256", 64);
        if (minPartBytes < 0) {
            throw GranaryException.invalid("minimum part size " + minPartBytes + " is negative");
        }
        long startNanos = System.nanoTime();
        CommitAttempt attempt = store.beginCommit(uploadId);
        UploadSession upload = attempt.upload();
        if (!upload.multipart()) {
            throw new GranaryException(ErrorKind.FAILED_PRECONDITION, "upload " + uploadId
                    + " is not a multipart upload: commit it with its chunks");
        }
        Duration timeLeft = Namespace.timeLeft(attempt, callerTimeLeft, startNanos);
        CompletedMultipart done = store.completeMultipart(upload, chosen, tag, hash, minPartBytes, actor,
                clock.millis(), attempt, timeLeft);
        MetadataStore.CommitOutcome outcome = done.outcome();
        cluster.committed(done.chunks().stream()
                .map(c -> new CommittedChunk(c.index(), c.handle(), c.size(), List.of())).toList(), upload.replication());
        cluster.trashed(outcome.trashed());
        gc.discard(outcome.garbage());
        log.info("{}: completed {} from {} part(s) ({} bytes, {} chunk(s)){}{}", masterId, upload.path(), chosen.size(),
                done.sizeBytes(), done.chunks().size(), outcome.replaced() ? ", replacing the previous version" : "",
                attempt.committed() ? " (a repeated completion)" : "");
        List<ChunkMeta> chunks = done.chunks().stream()
                .map(c -> c.withReplicas(cluster.liveReplicas(c.handle()))).toList();
        Instant committedAt = Instant.ofEpochMilli(outcome.committedAtMs());
        return new FileMeta(upload.path().toString(), EntryType.FILE, outcome.inode(), done.sizeBytes(),
                upload.replication(), upload.chunkSizeBytes(), hash, upload.contentType(), committedAt, committedAt,
                chunks, 0, upload.actor().id(), outcome.visibility(), tag, upload.metadata());
    }

    private static List<PartRef> checkParts(List<PartRef> parts) {
        if (parts == null || parts.isEmpty()) {
            throw GranaryException.invalid("a multipart upload is completed with at least one part");
        }
        if (parts.size() > Multipart.MAX_PART_NUMBER) {
            throw GranaryException.invalid(parts.size() + " parts are listed: at most " + Multipart.MAX_PART_NUMBER);
        }
        return parts.stream().map(p -> {
            Multipart.checkPartNumber(p.partNumber());
            return new PartRef(p.partNumber(), hex(p.md5Hex(), MD5, "MD5 of part " + p.partNumber(), 32));
        }).toList();
    }

    private static void checkChunks(int partNumber, List<CommittedChunk> chunks, long sizeBytes) {
        if (sizeBytes < 0) {
            throw GranaryException.invalid("part " + partNumber + " has a negative size, " + sizeBytes);
        }
        if (chunks.size() > Multipart.MAX_CHUNKS_PER_PART) {
            throw GranaryException.invalid("part " + partNumber + " has " + chunks.size() + " chunks: at most "
                    + Multipart.MAX_CHUNKS_PER_PART);
        }
        Set<ChunkHandle> seen = new HashSet<>();
        long total = 0;
        for (CommittedChunk chunk : chunks) {
            if (!seen.add(chunk.handle())) {
                throw GranaryException.invalid("chunk " + chunk.handle() + " is listed twice in part " + partNumber);
            }
            if (chunk.replicas().isEmpty()) {
                throw GranaryException.invalid("chunk " + chunk.handle() + " of part " + partNumber
                        + " has no replica: no chunkserver stored it");
            }
            total += chunk.sizeBytes();
        }
        if (total != sizeBytes) {
            throw GranaryException.invalid("the chunks of part " + partNumber + " add up to " + total
                    + " bytes, not its size " + sizeBytes);
        }
    }

    private static String hex(String value, Pattern pattern, String what, int digits) {
        String hex = value == null ? "" : value.toLowerCase(Locale.ROOT);
        if (!pattern.matcher(hex).matches()) {
            throw GranaryException.invalid(what + " '" + value + "' is not " + digits + " hex digits");
        }
        return hex;
    }

    private static int pageSize(int limit) {
        if (limit < 0 || limit > MAX_PAGE) {
            throw GranaryException.invalid("limit " + Integer.toUnsignedString(limit) + " is not between 1 and "
                    + MAX_PAGE);
        }
        return limit == 0 ? MAX_PAGE : limit;
    }

    private static String absolute(String path) {
        String value = path == null ? "" : path;
        return value.startsWith("/") ? value : "/" + value;
    }
}
