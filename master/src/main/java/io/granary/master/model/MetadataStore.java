package io.granary.master.model;

import io.granary.common.Actor;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryPath;
import io.granary.common.Visibility;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.PartListing;
import io.granary.common.meta.PartRef;
import io.granary.common.meta.UploadListing;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ObjIntConsumer;

/**
 * The master's durable state: namespace, file-to-chunk map, open uploads, the trash, and the
 * registered chunkservers. Chunk locations are NOT stored here (they are soft state).
 *
 * <p>Contract of every method:
 * <ul>
 *   <li>blocking: it returns once the store has answered, or fails within the store's timeout;</li>
 *   <li>thread-safe: any number of threads may call at once;</li>
 *   <li>atomic: each call is one all-or-nothing step; a failed call changed nothing;</li>
 *   <li>it throws {@link io.granary.common.GranaryException} only: {@link ErrorKind#UNAVAILABLE}
 *       "metadata store (Redis) unavailable: …" when the store cannot be reached or timed out (the
 *       change may or may not have happened then), and the kinds named per method.</li>
 * </ul>
 * An upload is {@code open}, then {@code committed} or {@code abandoned} for good; only
 * {@link #commit}, {@link #abandonUpload} and {@link #expireUploads} change that, each in one atomic
 * step. A commit answered UNAVAILABLE happened before its deadline or never will: a commit reaching the
 * store after its deadline is refused, so asking the commit again (idempotent) or abandoning (which
 * fences every later commit) tells which. A settled upload is remembered for a few minutes.
 * Times are milliseconds since the epoch, passed in by the caller so the store keeps no clock.
 */
public interface MetadataStore extends AutoCloseable {

    /**
     * Creates the root directory and counters when missing. Idempotent. Throws FAILED_PRECONDITION,
     * changing nothing, for a namespace written by a newer Granary than this one understands.
     */
    void initialize(long nowMs);

    /** Checks that the store answers; UNAVAILABLE, saying why, within the store's timeout if not. */
    void ping();

    /**
     * Records a new upload (a multipart one when the session says so, listed by path for
     * {@link #listMultipartUploads}). Fails early, so a writer does not send bytes in vain, with
     * FAILED_PRECONDITION when a parent of the path is a file ("'a/b' is a file") or the path is a
     * directory ("'a/b' is a directory"), and with PRECONDITION_FAILED when the session's write
     * precondition does not hold now. Both checks are repeated at commit.
     */
    void startUpload(UploadSession session);

    /**
     * Allocates a fresh, never used handle and records it as pending for the upload, which also counts
     * as activity. Returns the handle with the upload it belongs to. NOT_FOUND when the upload is not
     * open; PERMISSION_DENIED when it is a multipart upload that {@code actor} neither started nor may
     * change as an admin.
     */
    PendingChunk allocateChunk(String uploadId, Actor actor, long nowMs);

    /**
     * Records part {@code partNumber} of an open multipart upload: its chunks (handles and sizes, in
     * order), size and digests, recorded at {@code nowMs}; counts as activity. A part recorded again
     * replaces the earlier record, and the earlier chunks the new record does not keep are released at
     * once: they are returned, garbage. NOT_FOUND when the upload is not open; FAILED_PRECONDITION when it
     * is not multipart, or a chunk is not pending for it or is in another part; PERMISSION_DENIED when
     * {@code actor} neither started it nor is an admin; INVALID_ARGUMENT when a chunk but the last is not
     * of the upload's chunk size, or the last is empty or larger.
     */
    List<ChunkHandle> recordPart(String uploadId, int partNumber, List<CommittedChunk> chunks, long sizeBytes,
                                 String md5Hex, String sha256, Actor actor, long nowMs);

    /**
     * Up to {@code limit} parts of an open multipart upload numbered above {@code afterPart}, with the
     * upload. NOT_FOUND when the upload is unknown, settled or not multipart.
     */
    PartListing listParts(String uploadId, int afterPart, int limit);

    /**
     * Up to {@code limit} open multipart uploads whose absolute path (with its leading '/') starts with
     * {@code pathPrefix}, ordered by path then id: after {@code afterPath} when it is not empty (after
     * {@code afterPath} and {@code afterUploadId} when that is not empty either).
     */
    UploadListing listMultipartUploads(String pathPrefix, String afterPath, String afterUploadId, int limit);

    /**
     * Starts an attempt to commit an upload and answers it with the upload. The attempt is stamped with
     * the store's own clock; {@link #commit} quotes it, and a later attempt overtakes this one. NOT_FOUND
     * when there is no such upload; FAILED_PRECONDITION when it was abandoned or expired. A committed
     * upload answers {@link CommitAttempt#committed()}: its commit then answers the same file again.
     */
    CommitAttempt beginCommit(String uploadId);

    /**
     * Commits an upload: creates missing parent directories, replaces a file already at the path (its
     * chunks go to the trash), writes the new inode and its chunk list in the given order, turns the
     * handles from pending to committed and forgets the upload. Handles allocated to the upload but
     * not listed become garbage. Every ancestor directory's usage counters move by the size change.
     * NOT_FOUND when the upload is not open; FAILED_PRECONDITION when a handle is not pending for this
     * upload, a parent is a file, or the path is a directory; PRECONDITION_FAILED when the upload's
     * write precondition does not hold against the file it would replace.
     *
     * <p>Idempotent: an upload already committed answers the same inode (nothing trashed, no garbage)
     * when size, SHA-256 and etag are those it was committed with, FAILED_PRECONDITION otherwise. Refused,
     * changing nothing: FAILED_PRECONDITION when the upload was abandoned or {@code attempt} was
     * overtaken by a later {@link #beginCommit}; DEADLINE_EXCEEDED when the commit reaches the store
     * later than {@code timeLeft} (capped by the store's timeout) after the attempt began, measured on
     * the store's clock: its caller, or this master waiting for the store, has given up by then.
     *
     * @param handles the file's chunks, in file order
     * @param etag the file's entity tag, "" for none; stored on the file with the upload's metadata, and
     *             compared, as size and SHA-256 are, by a repeated commit
     * @param attempt what {@link #beginCommit} answered
     * @param timeLeft how long the caller still waits, measured after {@link #beginCommit} answered
     */
    default CommitOutcome commit(UploadSession upload, List<ChunkHandle> handles, long sizeBytes, String sha256,
                                 String etag, long nowMs, CommitAttempt attempt, Duration timeLeft) {
        return commit(upload, handles, sizeBytes, sha256, etag, nowMs, attempt, timeLeft, Actor.SYSTEM);
    }

    /**
     * As {@link #commit(UploadSession, List, long, String, String, long, CommitAttempt, Duration)}, recording
     * the new file in the audit log with {@code caller}'s address and request id, as written by the
     * caller when it names an actor, else by the principal that started the upload.
     */
    CommitOutcome commit(UploadSession upload, List<ChunkHandle> handles, long sizeBytes, String sha256, String etag,
                         long nowMs, CommitAttempt attempt, Duration timeLeft, Actor caller);

    /**
     * Completes an open multipart upload as {@link #commit} commits one, fenced by {@code attempt} and
     * {@code timeLeft} the same way and as idempotent (a completed upload answers the same file when
     * etag and SHA-256 are those it was completed with): the file's chunks are those of the listed parts
     * in order, its size their sum, its etag and SHA-256 as given, its chunk sizes stored when they are
     * not all the chunk size but the last. The upload's handles in no listed part become garbage.
     * Refused, changing nothing, with FAILED_PRECONDITION and a message starting with
     * {@link io.granary.common.Multipart#INVALID_PART_ORDER}, {@link io.granary.common.Multipart#INVALID_PART}
     * or {@link io.granary.common.Multipart#ENTITY_TOO_SMALL} when the parts do not fit; otherwise as
     * {@link #commit} is; PERMISSION_DENIED when {@code actor} neither started the upload nor is an admin.
     *
     * @param parts the parts of the file, by number and the MD5 each must have been recorded with
     */
    CompletedMultipart completeMultipart(UploadSession upload, List<PartRef> parts, String etag, String sha256,
                                         long minPartBytes, Actor actor, long nowMs, CommitAttempt attempt,
                                         Duration timeLeft);

    /**
     * Settles an open upload as abandoned: a commit reaching the store later is refused. Returns its
     * pending handles, now garbage. Idempotent: an abandoned, expired or unknown upload gives nothing.
     * ALREADY_EXISTS when it was committed; PERMISSION_DENIED when it is open and {@code actor} neither
     * started it nor is an admin.
     */
    List<ChunkHandle> abandonUpload(String uploadId, Actor actor);

    /**
     * Abandons up to {@code max} uploads: ordinary ones whose last activity is at or before
     * {@code idleSinceMs}, then multipart ones idle since {@code multipartIdleSinceMs}. Returns their
     * garbage handles and how many uploads expired.
     */
    ExpiredUploads expireUploads(long idleSinceMs, long multipartIdleSinceMs, int max);

    /** The entry at a path with its chunk list (replicas empty), or empty when nothing is there. */
    Optional<FileMeta> lookup(GranaryPath path);

    /**
     * Removes the file at a path; returns its handles, now in the trash. NOT_FOUND when nothing is
     * there; FAILED_PRECONDITION when it is a directory.
     */
    List<ChunkHandle> deleteFile(GranaryPath path, Actor actor, long nowMs);

    /**
     * Creates a directory and its missing parents (mkdir -p). Idempotent. FAILED_PRECONDITION when a
     * file is at the path or at a parent.
     */
    MakeDirectoryOutcome makeDirectory(GranaryPath path, Actor actor, long nowMs);

    /**
     * Up to {@code limit} entries of a directory whose names sort after {@code after} ("" for the
     * first page), in byte order. NOT_FOUND when nothing is at the path; FAILED_PRECONDITION for a file.
     */
    DirectoryPage list(GranaryPath path, String after, int limit);

    /**
     * Unlinks a directory in one atomic step and returns how many files were below it. An empty one is
     * deleted at once; a non-empty one (only when {@code recursive}) is queued for {@link #reclaim}.
     * NOT_FOUND when nothing is there; FAILED_PRECONDITION for a file or, unless recursive, a non-empty
     * directory; INVALID_ARGUMENT for the root.
     */
    long deleteDirectory(GranaryPath path, boolean recursive, Actor actor, long nowMs);

    /**
     * Frees part of what lies below deleted directories: at most about {@code budget} entries and
     * chunks per call (each call is one short atomic step). The freed files' chunks go to the trash.
     */
    Reclaimed reclaim(long nowMs, int budget);

    /**
     * Moves a file or a directory to another path in one atomic step, creating the destination's
     * missing parents. O(depth), whatever the directory holds. NOT_FOUND when the source is missing;
     * ALREADY_EXISTS when the destination exists and {@code overwrite} is false; INVALID_ARGUMENT for
     * the root or a directory moved into its own subtree; FAILED_PRECONDITION when the destination is a
     * non-empty directory, a file replaces a directory or the reverse, or a parent of it is a file.
     */
    RenameOutcome rename(GranaryPath from, GranaryPath to, boolean overwrite, Actor actor, long nowMs);

    /**
     * Records a file's new replication on its inode and on its committed chunks; returns the chunks.
     * NOT_FOUND when no file is there; FAILED_PRECONDITION for a directory.
     */
    List<ChunkHandle> setReplication(GranaryPath path, int replication, Actor actor);

    /**
     * Sets a file's visibility and answers the file. NOT_FOUND without a file, FAILED_PRECONDITION for a
     * directory, PERMISSION_DENIED when {@code actor} neither owns it nor is an admin.
     */
    FileMeta setVisibility(GranaryPath path, Visibility visibility, Actor actor);

    /**
     * Returns the reported handles that nobody needs: neither committed, nor pending for an open
     * upload, nor trashed less than {@code graceMs} ago. FAILED_PRECONDITION when the namespace has no
     * root (the store lost its data): then nothing may be collected.
     */
    List<ChunkHandle> findOrphans(Collection<ChunkHandle> reported, long nowMs, long graceMs);

    /** Empties up to {@code max} trash entries deleted at or before the cutoff and returns them. */
    List<ChunkHandle> purgeTrash(long deletedAtOrBeforeMs, int max);

    /**
     * The file and position of each committed chunk among {@code handles}; chunks not committed are
     * left out. Walks the namespace: O(directory entries), for fsck, not for hot paths. Not atomic.
     */
    Map<ChunkHandle, ChunkOwner> owners(Collection<ChunkHandle> handles);

    /** Number of chunks in the trash (deleted or replaced files within their grace period). */
    long trashCount();

    /** Calls back with every committed handle and its file's replication. Not atomic: a scan. */
    void forEachCommittedChunk(ObjIntConsumer<ChunkHandle> action);

    /** Registered chunkservers: id to address. */
    Map<String, String> chunkServers();

    /** Records (or moves) a chunkserver's address. Idempotent. */
    void saveChunkServer(String id, String address);

    /** Forgets a chunkserver, and its decommission record. Idempotent. */
    void removeChunkServer(String id);

    /** The chunkservers leaving the cluster: id to their decommission record. Unreadable records are left out. */
    Map<String, Decommission> decommissions();

    /**
     * Records a chunkserver's decommission state ({@code DRAINING} or {@code DECOMMISSIONED}), replacing
     * any earlier one. Idempotent.
     *
     * @throws io.granary.common.GranaryException NOT_FOUND when the chunkserver is not registered
     */
    void saveDecommission(String id, Decommission decommission);

    /** Drops a chunkserver's decommission record: it is back in service. Idempotent. */
    void removeDecommission(String id);

    /** Releases the connection. Idempotent; never throws. */
    @Override
    void close();

    /**
     * What a commit did: the new file's inode, whether it replaced a file, and which handles went to
     * the trash (the replaced file's) or became garbage (allocated to the upload but not committed);
     * {@code visibility} is the new file's (given, or kept from the file it replaced), and
     * {@code committedAtMs} when it was committed (the first time, for a repeated commit).
     */
    record CommitOutcome(long inode, boolean replaced, List<ChunkHandle> trashed, List<ChunkHandle> garbage,
                         Visibility visibility, long committedAtMs) {
    }

    /**
     * An attempt to commit {@code upload}: its number and when it began on the store's clock (both 0
     * when the upload is {@code committed} already).
     */
    record CommitAttempt(UploadSession upload, boolean committed, long number, long startedAtMs) {
    }

    /** The directory a mkdir answered, and whether it made it. */
    record MakeDirectoryOutcome(FileMeta directory, boolean created) {
    }

    /** What a rename did: the entry at its new path, and the chunks of a file it replaced (now trash). */
    record RenameOutcome(FileMeta moved, List<ChunkHandle> trashed) {
    }

    /** What a reclaim step did: chunks moved to the trash, and deleted directories still to reclaim. */
    record Reclaimed(List<ChunkHandle> trashed, long directoriesQueued) {
    }

    /**
     * What a multipart completion did: what a commit does, and the new file's size and chunks (in order,
     * with their sizes; replicas empty).
     */
    record CompletedMultipart(CommitOutcome outcome, long sizeBytes, List<ChunkMeta> chunks) {
    }

    /** A handle just allocated to an open upload. */
    record PendingChunk(ChunkHandle handle, UploadSession upload) {
    }

    /** What an expiry pass did. */
    record ExpiredUploads(int uploads, List<ChunkHandle> garbage) {
    }
}
