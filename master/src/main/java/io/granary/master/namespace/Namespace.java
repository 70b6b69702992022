package io.granary.master.namespace;

import io.granary.common.Actor;
import io.granary.common.ChunkHandle;
import io.granary.common.ChunkSizes;
import io.granary.common.ErrorKind;
import io.granary.common.FileMetadata;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.Visibility;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.EntryType;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.Replica;
import io.granary.master.cluster.ClusterState;
import io.granary.master.cluster.GarbageCollector;
import io.granary.master.cluster.PlacementPolicy;
import io.granary.master.model.ChunkAllocation;
import io.granary.master.model.CommittedChunk;
import io.granary.master.model.FileLimits;
import io.granary.master.model.MetadataStore;
import io.granary.master.model.MetadataStore.CommitAttempt;
import io.granary.master.model.MetadataStore.CommitOutcome;
import io.granary.master.model.MetadataStore.PendingChunk;
import io.granary.master.model.StartedUpload;
import io.granary.master.model.UploadSession;
import io.granary.master.model.WritePrecondition;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace operations: uploads (start, allocate, commit, abandon), lookup and delete. Durable
 * state goes through the {@link MetadataStore}; chunk locations and placement come from the
 * {@link ClusterState}. Every method blocks on the store, is thread-safe, and throws
 * {@link GranaryException} with a kind and a message fit for a user.
 */
public final class Namespace {
    private static final Logger log = LoggerFactory.getLogger(Namespace.class);
    static final int MAX_CONTENT_TYPE_CHARS = 255;
    private static final int EXPIRY_BATCH = 100;
    /** The time left of a caller that set no deadline: the store's own timeout then bounds a commit. */
    public static final Duration NO_CALLER_DEADLINE = Duration.ofMillis(Long.MAX_VALUE);

    private final String masterId;
    private final MetadataStore store;
    private final ClusterState cluster;
    private final GarbageCollector gc;
    private final int defaultReplication;
    private final long defaultChunkSizeBytes;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Namespace(String masterId, MetadataStore store, ClusterState cluster, GarbageCollector gc,
                     int defaultReplication, long defaultChunkSizeBytes, Clock clock) {
        this.masterId = masterId;
        this.store = store;
        this.cluster = cluster;
        this.gc = gc;
        this.defaultReplication = defaultReplication;
        this.defaultChunkSizeBytes = defaultChunkSizeBytes;
        this.clock = clock;
    }

    /**
     * Opens an upload. 0 replication or chunk size means the default. Fails before any byte is sent:
     * INVALID_ARGUMENT (bad path, replication, chunk size or content type), UNAVAILABLE (too few live
     * chunkservers), FAILED_PRECONDITION (a file in the way, or the path is a directory).
     */
    public UploadSession startUpload(String rawPath, int replication, long chunkSizeBytes, String contentType) {
        return startUpload(rawPath, replication, chunkSizeBytes, contentType, WritePrecondition.NONE);
    }

    /**
     * Opens an upload that commits only if {@code precondition} holds then. It is also checked now, so
     * a write bound to fail does not send its bytes: PRECONDITION_FAILED.
     */
    public UploadSession startUpload(String rawPath, int replication, long chunkSizeBytes, String contentType,
                                     WritePrecondition precondition) {
        return startUpload(rawPath, replication, chunkSizeBytes, contentType, precondition, Actor.SYSTEM, null);
    }

    /**
     * Opens an upload for {@code actor}, who will own the file. PERMISSION_DENIED, now and again at
     * commit, when it would replace a file the actor may not change.
     *
     * @param visibility the file's visibility; null keeps that of the file it replaces (private if none)
     */
    public UploadSession startUpload(String rawPath, int replication, long chunkSizeBytes, String contentType,
                                     WritePrecondition precondition, Actor actor, Visibility visibility) {
        return startUpload(rawPath, replication, chunkSizeBytes, contentType, precondition, actor, visibility,
                Map.of());
    }

    /**
     * As {@link #startUpload(String, int, long, String, WritePrecondition, Actor, Visibility)}, with
     * {@code metadata} to store with the file at commit. INVALID_ARGUMENT when it breaks the bounds of
     * {@link FileMetadata}.
     */
    public UploadSession startUpload(String rawPath, int replication, long chunkSizeBytes, String contentType,
                                     WritePrecondition precondition, Actor actor, Visibility visibility,
                                     Map<String, String> metadata) {
        return open(rawPath, replication, chunkSizeBytes, contentType, precondition, actor, visibility, metadata,
                false);
    }

    /** Opens an ordinary or a multipart upload, after the checks every upload passes. */
    UploadSession open(String rawPath, int replication, long chunkSizeBytes, String contentType,
                       WritePrecondition precondition, Actor actor, Visibility visibility, Map<String, String> metadata,
                       boolean multipart) {
        GranaryPath path = GranaryPath.of(rawPath);
        if (path.isRoot()) {
            throw GranaryException.invalid("cannot upload to '/': the root is a directory");
        }
        int copies = replication == 0 ? defaultReplication : replication;
        long chunkSize = chunkSizeBytes == 0 ? defaultChunkSizeBytes : chunkSizeBytes;
        try {
            FileLimits.checkReplication(copies);
            ChunkSizes.check(chunkSize);
        } catch (IllegalArgumentException e) {
            throw GranaryException.invalid(e.getMessage());
        }
        Map<String, String> attributes = FileMetadata.check(metadata);
        cluster.requireOutOfSafeMode();
        PlacementPolicy.requireAlive(cluster.liveCount(), cluster.leavingCount(), copies);
        UploadSession session = new UploadSession(newUploadId(), path, copies, chunkSize,
                checkContentType(contentType), clock.millis(), precondition, actor, visibility, attributes, multipart);
        store.startUpload(session);
        log.debug("{}: {} {} to {} started", masterId, multipart ? "multipart upload" : "upload", session.id(), path);
        return session;
    }

    /**
     * Opens an upload and allocates its chunk 0 in the same master call, so that a small file costs
     * the writer one round trip less. Fails as {@link #startUpload} and {@link #allocateChunk} do;
     * an upload whose allocation fails is abandoned at once rather than left to expire.
     */
    public StartedUpload startUploadWithFirstChunk(String rawPath, int replication, long chunkSizeBytes,
                                                   String contentType, WritePrecondition precondition,
                                                   Actor actor, Visibility visibility, Map<String, String> metadata) {
        UploadSession session = startUpload(rawPath, replication, chunkSizeBytes, contentType, precondition, actor,
                visibility, metadata);
        try {
            return new StartedUpload(session, allocateChunk(session.id(), 0));
        } catch (RuntimeException e) {
            abandonQuietly(session.id());
            throw e;
        }
    }

    private void abandonQuietly(String uploadId) {
        try {
            abandonUpload(uploadId);
        } catch (RuntimeException e) { // e.g. Redis went away: the upload expires instead
            log.warn("{}: could not abandon upload {}: {}", masterId, uploadId, e.getMessage());
        }
    }

    /** Allocates chunk {@code index} of an upload: a new handle and its replica chain. */
    public ChunkAllocation allocateChunk(String uploadId, int index) {
        return allocateChunk(uploadId, index, Set.of());
    }

    /**
     * As {@link #allocateChunk(String, int)}, with a chain that leaves out the chunkservers in
     * {@code avoid}: a writer whose chain failed asks again for the same index. The earlier handle
     * stays pending and, never committed, is collected with the upload's other unused handles.
     */
    public ChunkAllocation allocateChunk(String uploadId, int index, Set<String> avoid) {
        return allocateChunk(uploadId, index, avoid, Actor.SYSTEM);
    }

    /**
     * As {@link #allocateChunk(String, int, Set)} for {@code actor}: a chunk of a multipart upload is
     * PERMISSION_DENIED unless the actor started the upload or is an admin.
     */
    public ChunkAllocation allocateChunk(String uploadId, int index, Set<String> avoid, Actor actor) {
        requireUploadId(uploadId);
        if (index < 0) {
            throw GranaryException.invalid("chunk index " + Integer.toUnsignedString(index) + " is too large");
        }
        cluster.requireOutOfSafeMode();
        PendingChunk pending = store.allocateChunk(uploadId, actor, clock.millis());
        UploadSession upload = pending.upload();
        // If placement fails now, the pending handle is dropped with the upload at commit or abandon.
        List<Replica> chain = cluster.placeChunk(upload.replication(), upload.chunkSizeBytes(), avoid);
        log.debug("{}: upload {} chunk {} is {} on {}", masterId, uploadId, index, pending.handle(), chain);
        return new ChunkAllocation(pending.handle(), chain, upload.chunkSizeBytes());
    }

    /** {@link #commitUpload(String, List, long, String, String, Duration)} without etag or deadline. */
    public FileMeta commitUpload(String uploadId, List<CommittedChunk> chunks, long sizeBytes, String sha256) {
        return commitUpload(uploadId, chunks, sizeBytes, sha256, "", NO_CALLER_DEADLINE);
    }

    /**
     * Makes an upload visible at its path, atomically replacing what was there, and settles it as
     * committed. Idempotent: committing a committed upload again answers the same file. NOT_FOUND when
     * there is no such upload; INVALID_ARGUMENT when the chunks are not the whole file;
     * FAILED_PRECONDITION when the upload was abandoned (or expired), a chunk is not this upload's, a
     * parent is a file, or the path is a directory.
     *
     * <p>A commit that would reach the store after {@code callerTimeLeft} (from now) is refused there,
     * DEADLINE_EXCEEDED, so a caller that gave up never sees the file appear later. When the answer is
     * UNAVAILABLE or DEADLINE_EXCEEDED the caller settles the outcome: it commits again or abandons.
     *
     * @param etag the file's entity tag (see {@link CommitCheck#etag}), "" for none; a repeated commit
     *             must give the same
     */
    public FileMeta commitUpload(String uploadId, List<CommittedChunk> chunks, long sizeBytes, String sha256,
                                 String etag, Duration callerTimeLeft) {
        return commitUpload(uploadId, chunks, sizeBytes, sha256, etag, callerTimeLeft, Actor.SYSTEM);
    }

    /**
     * As {@link #commitUpload(String, List, long, String, String, Duration)}, asked by {@code caller}: the
     * audit log records the file from its address and under its request id, as written by it when it
     * names a principal, else by the upload's starter.
     */
    public FileMeta commitUpload(String uploadId, List<CommittedChunk> chunks, long sizeBytes, String sha256,
                                 String etag, Duration callerTimeLeft, Actor caller) {
        requireUploadId(uploadId);
        long startNanos = System.nanoTime();
        CommitAttempt attempt = store.beginCommit(uploadId);
        UploadSession upload = attempt.upload();
        String hash = CommitCheck.validate(upload, chunks, sizeBytes, sha256);
        String tag = CommitCheck.etag(etag);
        Duration timeLeft = timeLeft(attempt, callerTimeLeft, startNanos);
        long now = clock.millis();
        List<ChunkHandle> handles = chunks.stream().map(CommittedChunk::handle).toList();
        // locations first: the file is visible to readers the moment the commit script returns
        cluster.written(chunks);
        CommitOutcome outcome = store.commit(upload, handles, sizeBytes, hash, tag, now, attempt, timeLeft, caller);
        cluster.committed(chunks, upload.replication());
        cluster.trashed(outcome.trashed());
        gc.discard(outcome.garbage());
        log.info("{}: committed {} ({} bytes, {} chunk(s)){}{}", masterId, upload.path(), sizeBytes, chunks.size(),
                outcome.replaced() ? ", replacing the previous version" : "",
                attempt.committed() ? " (a repeated commit)" : "");
        List<ChunkMeta> metas = chunks.stream()
                .map(c -> new ChunkMeta(c.index(), c.handle(), c.sizeBytes(), cluster.liveReplicas(c.handle())))
                .toList();
        Instant committedAt = Instant.ofEpochMilli(outcome.committedAtMs());
        return new FileMeta(upload.path().toString(), EntryType.FILE, outcome.inode(), sizeBytes, upload.replication(),
                upload.chunkSizeBytes(), hash, upload.contentType(), committedAt, committedAt, metas, 0,
                upload.actor().id(), outcome.visibility(), tag, upload.metadata());
    }

    /**
     * What a caller still waits of {@code callerTimeLeft}, counted from {@code startNanos}, for the
     * commit of {@code attempt}. DEADLINE_EXCEEDED, nothing changed, when nothing is left and the upload
     * is not committed yet (a committed one is answered anyway: that changes nothing).
     */
    static Duration timeLeft(CommitAttempt attempt, Duration callerTimeLeft, long startNanos) {
        Duration timeLeft = callerTimeLeft.minusNanos(System.nanoTime() - startNanos);
        if (!attempt.committed() && (timeLeft.isNegative() || timeLeft.isZero())) {
            throw new GranaryException(ErrorKind.DEADLINE_EXCEEDED, "upload " + attempt.upload().id()
                    + ": the caller's deadline passed before the commit was sent; nothing changed");
        }
        return timeLeft;
    }

    /**
     * Gives up an upload for good: a commit of it that reaches the store later is refused. Its chunks
     * become garbage. Idempotent; ALREADY_EXISTS when it was committed.
     */
    public void abandonUpload(String uploadId) {
        abandonUpload(uploadId, Actor.SYSTEM);
    }

    /**
     * As {@link #abandonUpload(String)} for {@code actor} (aborting a multipart upload is this too):
     * PERMISSION_DENIED, nothing changed, when the upload is open and the actor neither started it nor
     * is an admin.
     */
    public void abandonUpload(String uploadId, Actor actor) {
        requireUploadId(uploadId);
        List<ChunkHandle> garbage = store.abandonUpload(uploadId, actor);
        gc.discard(garbage);
        log.debug("{}: upload {} abandoned, {} chunk(s) to collect", masterId, uploadId, garbage.size());
    }

    /** The file (with live replicas per chunk) or directory at a path. NOT_FOUND when nothing is there. */
    public FileMeta getFile(String rawPath) {
        GranaryPath path = GranaryPath.of(rawPath);
        cluster.requireOutOfSafeMode();
        FileMeta meta = store.lookup(path)
                .orElseThrow(() -> GranaryException.notFound("nothing at '" + path.value() + "'"));
        if (!meta.isFile()) {
            return meta;
        }
        return meta.withChunks(meta.chunks().stream().map(c -> c.withReplicas(cluster.liveReplicas(c.handle()))).toList());
    }

    /** Deletes a file; its chunks stay readable for the grace period, then are collected. */
    public void deleteFile(String rawPath) {
        deleteFile(rawPath, Actor.SYSTEM);
    }

    /** Deletes a file for {@code actor}: PERMISSION_DENIED, changing nothing, unless it may change it. */
    public void deleteFile(String rawPath, Actor actor) {
        GranaryPath path = GranaryPath.of(rawPath);
        List<ChunkHandle> trashed = store.deleteFile(path, actor, clock.millis());
        cluster.trashed(trashed);
        log.info("{}: deleted {} ({} chunk(s) to the trash)", masterId, path, trashed.size());
    }

    /**
     * Changes a file's replication: recorded at once in the store and in the cluster view, where its
     * chunks then count as under-replicated until the repair machinery copies them (or, for a lower
     * factor, until it trims them). INVALID_ARGUMENT for a factor out of range; NOT_FOUND without a
     * file; FAILED_PRECONDITION for a directory.
     */
    public FileMeta setReplication(String rawPath, int replication) {
        return setReplication(rawPath, replication, Actor.SYSTEM);
    }

    /** Like {@link #setReplication(String, int)}, for {@code actor}: PERMISSION_DENIED unless it may. */
    public FileMeta setReplication(String rawPath, int replication, Actor actor) {
        GranaryPath path = GranaryPath.of(rawPath);
        try {
            FileLimits.checkReplication(replication);
        } catch (IllegalArgumentException e) {
            throw GranaryException.invalid(e.getMessage());
        }
        List<ChunkHandle> handles = store.setReplication(path, replication, actor);
        cluster.replicationChanged(handles, replication);
        log.info("{}: replication of {} set to {} ({} chunk(s))", masterId, path, replication, handles.size());
        return getFile(path.value());
    }

    /**
     * Makes a file public or private for {@code actor}. NOT_FOUND without a file, FAILED_PRECONDITION for
     * a directory, PERMISSION_DENIED (nothing changed) when the actor neither owns it nor is an admin.
     */
    public FileMeta setVisibility(String rawPath, Visibility visibility, Actor actor) {
        GranaryPath path = GranaryPath.of(rawPath);
        store.setVisibility(path, visibility, actor);
        log.info("{}: {} is now {}", masterId, path, visibility.wireName());
        return getFile(path.value());
    }

    /** Abandons every upload, multipart ones included, idle since before the cutoff; returns how many. */
    public int expireUploads(long idleSinceMs) {
        return expireUploads(idleSinceMs, idleSinceMs);
    }

    /**
     * Abandons every ordinary upload idle since before {@code idleSinceMs} and every multipart upload
     * idle since before {@code multipartIdleSinceMs}; returns how many.
     */
    public int expireUploads(long idleSinceMs, long multipartIdleSinceMs) {
        int total = 0;
        MetadataStore.ExpiredUploads batch;
        do {
            batch = store.expireUploads(idleSinceMs, multipartIdleSinceMs, EXPIRY_BATCH);
            gc.discard(batch.garbage());
            total += batch.uploads();
        } while (batch.uploads() == EXPIRY_BATCH);
        if (total > 0) {
            log.info("{}: {} idle upload(s) expired", masterId, total);
        }
        return total;
    }

    static void requireUploadId(String uploadId) {
        if (uploadId == null || uploadId.isBlank()) {
            throw GranaryException.invalid("an upload id is required");
        }
    }

    private static String checkContentType(String contentType) {
        String value = contentType == null ? "" : contentType.strip();
        if (value.length() > MAX_CONTENT_TYPE_CHARS || value.chars().anyMatch(Character::isISOControl)) {
            throw GranaryException.invalid("content type must be at most " + MAX_CONTENT_TYPE_CHARS
                    + " printable characters");
        }
        return value;
    }

    private String newUploadId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
