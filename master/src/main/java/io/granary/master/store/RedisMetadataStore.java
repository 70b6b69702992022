package io.granary.master.store;

import io.granary.common.Actor;
import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.Visibility;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.PartListing;
import io.granary.common.meta.PartRef;
import io.granary.common.meta.UploadListing;
import io.granary.master.audit.AuditStore;
import io.granary.master.auth.S3KeyStore;
import io.granary.master.auth.TokenStore;
import io.granary.master.model.ChunkOwner;
import io.granary.master.model.CommittedChunk;
import io.granary.master.model.Decommission;
import io.granary.master.model.DecommissionState;
import io.granary.master.model.MetadataStore;
import io.granary.master.model.UploadSession;
import io.granary.master.ha.Fence;
import io.granary.master.ha.LeaseStore;
import io.granary.master.store.LuaScripts.Script;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanIterator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ObjIntConsumer;

/**
 * {@link MetadataStore} on Redis through lettuce. Every multi-key change is one Lua script; the key
 * schema is documented in {@code docs/redis-schema.md}. Handles are taken from the counter in
 * batches, so most allocations cost one round trip.
 */
public final class RedisMetadataStore implements MetadataStore {
    /** The key (under the prefix) of the last chunk handle reserved. */
    static final String HANDLE_COUNTER = "counter:handle";
    /** Handles reserved per INCRBY. Unused ones are skipped after a restart; handles need not be dense. */
    static final int HANDLE_BATCH = 128;
    /** Reported handles classified per script call. */
    static final int CLASSIFY_BATCH = 10_000;
    /**
     * The version of the key schema (docs/redis-schema.md) this build writes and understands, kept in
     * {@code {prefix}:schema}. A master refuses a namespace of a greater one: a newer Granary wrote it.
     */
    public static final int SCHEMA_VERSION = 1;

    private final RedisSession session;
    private final LuaScripts scripts;
    private final String prefix;
    private final Duration timeout;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long nextHandle;
    private long lastReservedHandle;

    private RedisMetadataStore(RedisSession session, String keyPrefix, Duration timeout) {
        this.session = session;
        this.timeout = timeout;
        this.prefix = keyPrefix;
        this.scripts = new LuaScripts(session, keyPrefix);
    }

    /**
     * Connects to Redis and loads the scripts.
     *
     * @throws io.granary.common.GranaryException UNAVAILABLE when Redis cannot be reached
     */
    public static RedisMetadataStore connect(String redisUri, Duration timeout, String keyPrefix) {
        return connect(redisUri, timeout, keyPrefix, null);
    }

    /**
     * As {@link #connect(String, Duration, String)}, recording every command's latency in
     * {@code metrics} (lettuce's {@code lettuce.command.*} timers) unless it is null.
     */
    public static RedisMetadataStore connect(String redisUri, Duration timeout, String keyPrefix,
                                             MeterRegistry metrics) {
        RedisSession session = RedisSession.connect(redisUri, timeout, metrics);
        try {
            RedisMetadataStore store = new RedisMetadataStore(session, keyPrefix, timeout);
            store.scripts.loadAll();
            return store;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The tokens, on the same connection. */
    public TokenStore tokens() {
        return new RedisTokenStore(session, scripts, prefix);
    }

    /** The S3 keys, on the same connection. */
    public S3KeyStore s3Keys() {
        return new RedisS3KeyStore(session, scripts, prefix);
    }

    private String key(String name) {
        return prefix + ":" + name;
    }

    /** The master lease, on the same connection. */
    public LeaseStore lease() {
        return new RedisLeaseStore(scripts, session, prefix);
    }

    /**
     * Fences every later change through this store with {@code fence}: once Redis holds a newer
     * epoch than {@link Fence#epoch()}, changes are refused with the exception
     * {@link Fence#superseded} makes, and change nothing.
     */
    public void fenceWith(Fence fence) {
        scripts.fenceWith(fence);
    }

    /**
     * Makes every later change wait until {@code replicas} Redis replicas confirm it (WAIT), at most
     * {@code timeout}, failing with DEADLINE_EXCEEDED otherwise (the change is on the primary only);
     * 0 for no wait (the default).
     */
    public void awaitReplicas(int replicas, Duration timeout) {
        scripts.awaitReplicas(replicas, timeout);
    }

    /** The audit log, on the same connection. */
    public AuditStore audit() {
        return new RedisAuditStore(session, scripts, prefix);
    }

    /**
     * Caps the audit log at {@code maxEntries} from the next change on: each change that adds an
     * entry drops the oldest beyond it. A store never told so keeps every entry.
     */
    public void keepAudit(long maxEntries) {
        scripts.keepAudit(maxEntries);
    }

    /** The IP grants, kept on this store's connection. */
    public io.granary.master.access.GrantStore grants() {
        return new RedisGrantStore(session, scripts, prefix);
    }

    @Override
    public void ping() {
        session.call(commands -> commands.ping());
    }

    /**
     * {@inheritDoc}
     *
     * @throws GranaryException FAILED_PRECONDITION, before any write, when the namespace's schema
     *     version is greater than {@link #SCHEMA_VERSION}
     */
    @Override
    public void initialize(long nowMs) {
        scripts.run(Script.INIT, Long.toString(nowMs), Integer.toString(SCHEMA_VERSION));
    }

    @Override
    public void startUpload(UploadSession s) {
        List<String> args = new ArrayList<>(List.of(s.id(), Long.toString(s.lastActivityMs()),
            Integer.toString(s.replication()), Long.toString(s.chunkSizeBytes()), s.contentType(),
            s.precondition().ifMatchSha256(), s.precondition().ifNoneMatch() ? "1" : "0", s.path().value(),
            s.actor().id(), admin(s.actor()), s.visibility() == null ? "" : s.visibility().wireName(),
            s.multipart() ? "1" : "0", Integer.toString(s.metadata().size())));
        s.metadata().forEach((name, value) -> {
            args.add(RedisReplies.METADATA_FIELD + name);
            args.add(value);
        });
        args.addAll(s.path().segments());
        scripts.run(Script.START_UPLOAD, args.toArray(String[]::new));
    }

    @Override
    public PendingChunk allocateChunk(String uploadId, Actor actor, long nowMs) {
        ChunkHandle handle = reserveHandle();
        List<Object> reply = scripts.run(Script.ALLOCATE, uploadId, handle.hex(), Long.toString(nowMs), actor.id(),
                admin(actor));
        return new PendingChunk(handle, RedisReplies.upload(uploadId, RedisReplies.pairs((List<?>) reply.get(0))));
    }

    private synchronized ChunkHandle reserveHandle() {
        if (nextHandle == 0 || nextHandle > lastReservedHandle) {
            lastReservedHandle = session.call(redis -> redis.incrby(key(HANDLE_COUNTER), HANDLE_BATCH));
            // a reservation lost with a failed primary would hand the same handles out again
            scripts.awaitReplication();
            nextHandle = lastReservedHandle - HANDLE_BATCH + 1;
        }
        return new ChunkHandle(nextHandle++);
    }

    @Override
    public CommitAttempt beginCommit(String uploadId) {
        List<Object> reply = scripts.run(Script.BEGIN_COMMIT, uploadId);
        return new CommitAttempt(RedisReplies.upload(uploadId, RedisReplies.pairs((List<?>) reply.get(3))),
                "committed".equals(reply.get(0)), Long.parseLong((String) reply.get(1)),
                Long.parseLong((String) reply.get(2)));
    }

    @Override
    public CommitOutcome commit(UploadSession upload, List<ChunkHandle> handles, long sizeBytes, String sha256,
                                String etag, long nowMs, CommitAttempt attempt, Duration timeLeft, Actor caller) {
        long deadlineMs = deadlineMs(attempt, timeLeft);
        List<String> segments = upload.path().segments();
        List<String> args = new ArrayList<>(8 + segments.size() + handles.size());
        args.addAll(List.of(upload.id(), Long.toString(nowMs), Long.toString(sizeBytes), sha256,
                Long.toString(attempt.number()), Long.toString(deadlineMs), etag, Integer.toString(segments.size())));
        args.addAll(segments);
        args.addAll(RedisReplies.hex(handles));
        return commitOutcome(scripts.run(Script.COMMIT, caller, args.toArray(String[]::new)));
    }

    /**
     * The deadline of a commit on Redis's clock: when its caller stops waiting, and never past this
     * store's own timeout either, so a commit that reaches Redis after this master stopped waiting for
     * it is refused and an UNAVAILABLE answer stays true.
     */
    private long deadlineMs(CommitAttempt attempt, Duration timeLeft) {
        long budgetMs = Math.max(0, Math.min(timeLeft.toMillis(), timeout.toMillis()));
        return attempt.startedAtMs() + budgetMs;
    }

    /** What commit and complete_multipart answer first: inode, trashed, garbage, replaced, visibility, time. */
    private static CommitOutcome commitOutcome(List<Object> reply) {
        return new CommitOutcome(Long.parseLong((String) reply.get(0)), "1".equals(reply.get(3)),
                RedisReplies.handles(reply.get(1)), RedisReplies.handles(reply.get(2)),
                "public".equals(reply.get(4)) ? Visibility.PUBLIC : Visibility.PRIVATE,
                Long.parseLong((String) reply.get(5)));
    }

    @Override
    public List<ChunkHandle> recordPart(String uploadId, int partNumber, List<CommittedChunk> chunks, long sizeBytes,
                                        String md5Hex, String sha256, Actor actor, long nowMs) {
        List<String> args = new ArrayList<>(8 + 2 * chunks.size());
        args.addAll(List.of(uploadId, Integer.toString(partNumber), Long.toString(sizeBytes), md5Hex, sha256,
                Long.toString(nowMs), actor.id(), admin(actor)));
        for (CommittedChunk chunk : chunks) {
            args.add(chunk.handle().hex());
            args.add(Long.toString(chunk.sizeBytes()));
        }
        return RedisReplies.handles(scripts.run(Script.RECORD_PART, args.toArray(String[]::new)).get(0));
    }

    @Override
    public PartListing listParts(String uploadId, int afterPart, int limit) {
        List<Object> reply = scripts.run(Script.LIST_PARTS, uploadId, Integer.toString(afterPart),
                Integer.toString(limit));
        return RedisReplies.partListing(uploadId, RedisReplies.pairs((List<?>) reply.get(0)), (List<?>) reply.get(1),
                limit);
    }

    @Override
    public UploadListing listMultipartUploads(String pathPrefix, String afterPath, String afterUploadId, int limit) {
        boolean fromAfter = !afterPath.isEmpty() && RedisReplies.sortsAfter(afterPath, afterUploadId, pathPrefix);
        List<Object> reply = scripts.run(Script.LIST_UPLOADS, pathPrefix, afterPath, afterUploadId,
                Integer.toString(limit), fromAfter ? "after" : "prefix");
        return RedisReplies.uploadListing((List<?>) reply.get(0), limit);
    }

    @Override
    public CompletedMultipart completeMultipart(UploadSession upload, List<PartRef> parts, String etag, String sha256,
                                                long minPartBytes, Actor actor, long nowMs, CommitAttempt attempt,
                                                Duration timeLeft) {
        List<String> segments = upload.path().segments();
        List<String> args = new ArrayList<>(10 + segments.size() + 2 * parts.size());
        args.addAll(List.of(upload.id(), Long.toString(nowMs), Long.toString(attempt.number()),
                Long.toString(deadlineMs(attempt, timeLeft)), etag, sha256, Long.toString(minPartBytes), actor.id(),
                admin(actor), Integer.toString(segments.size())));
        args.addAll(segments);
        for (PartRef part : parts) {
            args.add(Integer.toString(part.partNumber()));
            args.add(part.md5Hex());
        }
        List<Object> reply = scripts.run(Script.COMPLETE_MULTIPART, actor, args.toArray(String[]::new));
        return new CompletedMultipart(commitOutcome(reply), Long.parseLong((String) reply.get(6)),
                RedisReplies.chunks((List<?>) reply.get(7)));
    }

    @Override
    public List<ChunkHandle> abandonUpload(String uploadId, Actor actor) {
        return RedisReplies.handles(scripts.run(Script.ABANDON, uploadId, actor.id(), admin(actor)).get(0));
    }

    @Override
    public ExpiredUploads expireUploads(long idleSinceMs, long multipartIdleSinceMs, int max) {
        List<Object> reply = scripts.run(Script.EXPIRE_UPLOADS, Long.toString(idleSinceMs),
                Long.toString(multipartIdleSinceMs), Integer.toString(max));
        return new ExpiredUploads(((List<?>) reply.get(0)).size(), RedisReplies.handles(reply.get(1)));
    }

    @Override
    public Optional<FileMeta> lookup(GranaryPath path) {
        List<Object> reply;
        try {
            reply = scripts.run(Script.LOOKUP, path.segments().toArray(String[]::new));
        } catch (GranaryException e) {
            if (e.kind() == ErrorKind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(RedisReplies.fileMeta(path, reply));
    }

    @Override
    public List<ChunkHandle> deleteFile(GranaryPath path, Actor actor, long nowMs) {
        String[] args = concat(new String[] {Long.toString(nowMs), actor.id(), admin(actor)}, path.segments());
        return RedisReplies.handles(scripts.run(Script.DELETE, actor, args).get(0));
    }

    @Override
    public MakeDirectoryOutcome makeDirectory(GranaryPath path, Actor actor, long nowMs) {
        List<Object> reply = scripts.run(Script.MKDIR, actor,
                concat(new String[] {Long.toString(nowMs), actor.id()}, path.segments()));
        return new MakeDirectoryOutcome(RedisReplies.fileMeta(path, reply), "1".equals(reply.get(4)));
    }

    @Override
    public DirectoryPage list(GranaryPath path, String after, int limit) {
        List<Object> reply = scripts.run(Script.LIST,
                concat(new String[] {after, Integer.toString(limit)}, path.segments()));
        return RedisReplies.page((List<?>) reply.get(0), "1".equals(reply.get(1)));
    }

    @Override
    public long deleteDirectory(GranaryPath path, boolean recursive, Actor actor, long nowMs) {
        List<Object> reply = scripts.run(Script.DELETE_DIR, actor, concat(new String[] {Long.toString(nowMs),
            recursive ? "1" : "0", actor.id(), admin(actor)}, path.segments()));
        return Long.parseLong((String) reply.get(0));
    }

    @Override
    public Reclaimed reclaim(long nowMs, int budget) {
        List<Object> reply = scripts.run(Script.RECLAIM, Long.toString(nowMs), Integer.toString(budget));
        return new Reclaimed(RedisReplies.handles(reply.get(0)), Long.parseLong((String) reply.get(1)));
    }

    @Override
    public RenameOutcome rename(GranaryPath from, GranaryPath to, boolean overwrite, Actor actor, long nowMs) {
        List<String> args = new ArrayList<>();
        args.addAll(List.of(Long.toString(nowMs), overwrite ? "1" : "0", actor.id(), admin(actor),
                Integer.toString(from.segments().size())));
        args.addAll(from.segments());
        args.addAll(to.segments());
        List<Object> reply = scripts.run(Script.RENAME, actor, args.toArray(String[]::new));
        return new RenameOutcome(RedisReplies.fileMeta(to, reply), RedisReplies.handles(reply.get(4)));
    }

    @Override
    public List<ChunkHandle> setReplication(GranaryPath path, int replication, Actor actor) {
        return RedisReplies.handles(scripts.run(Script.SET_REPLICATION, actor,
                concat(new String[] {Integer.toString(replication), actor.id(), admin(actor)}, path.segments())).get(0));
    }

    @Override
    public FileMeta setVisibility(GranaryPath path, Visibility visibility, Actor actor) {
        return RedisReplies.fileMeta(path, scripts.run(Script.SET_VISIBILITY, actor,
                concat(new String[] {visibility.wireName(), actor.id(), admin(actor)}, path.segments())));
    }

    /** How scripts take the actor's rights: '1' for one who may change anything. */
    private static String admin(Actor actor) {
        return actor.admin() ? "1" : "0";
    }

    @Override
    public List<ChunkHandle> findOrphans(Collection<ChunkHandle> reported, long nowMs, long graceMs) {
        List<String> hex = RedisReplies.hex(List.copyOf(reported));
        List<ChunkHandle> orphans = new ArrayList<>();
        // one script per slice keeps each call short, so a huge report never blocks Redis for long
        for (int from = 0; from < hex.size(); from += CLASSIFY_BATCH) {
            List<String> args = new ArrayList<>(CLASSIFY_BATCH + 2);
            args.add(Long.toString(nowMs));
            args.add(Long.toString(graceMs));
            args.addAll(hex.subList(from, Math.min(hex.size(), from + CLASSIFY_BATCH)));
            orphans.addAll(RedisReplies.handles(scripts.run(Script.CLASSIFY, args.toArray(String[]::new)).get(0)));
        }
        return orphans;
    }

    @Override
    public List<ChunkHandle> purgeTrash(long deletedAtOrBeforeMs, int max) {
        return RedisReplies.handles(
                scripts.run(Script.PURGE_TRASH, Long.toString(deletedAtOrBeforeMs), Integer.toString(max)).get(0));
    }

    @Override
    public void forEachCommittedChunk(ObjIntConsumer<ChunkHandle> action) {
        session.call(redis -> {
            ScanIterator<KeyValue<String, String>> it = ScanIterator.hscan(redis, key("chunk"));
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                // value is "<inode>:<replication>"
                String value = entry.getValue();
                action.accept(ChunkHandle.parse(entry.getKey()),
                        Integer.parseInt(value.substring(value.indexOf(':') + 1)));
            }
            return null;
        });
    }

    @Override
    public Map<ChunkHandle, ChunkOwner> owners(Collection<ChunkHandle> handles) {
        if (handles.isEmpty()) {
            return Map.of();
        }
        return session.call(redis -> new ChunkOwners(redis, this::key).find(handles));
    }

    @Override
    public long trashCount() {
        return session.call(redis -> redis.zcard(key("trash")));
    }

    @Override
    public Map<String, String> chunkServers() {
        return session.call(redis -> redis.hgetall(key("chunkservers")));
    }

    @Override
    public void saveChunkServer(String id, String address) {
        scripts.run(Script.CHUNKSERVER_SAVE, id, address);
    }

    @Override
    public void removeChunkServer(String id) {
        scripts.run(Script.CHUNKSERVER_FORGET, id);
    }

    @Override
    public Map<String, Decommission> decommissions() {
        Map<String, String> stored = session.call(redis -> redis.hgetall(key("decommission")));
        Map<String, Decommission> out = new HashMap<>();
        stored.forEach((id, value) -> parseDecommission(value).ifPresent(d -> out.put(id, d)));
        return out;
    }

    /** {@code draining:1718000123000} as written by {@code decommission_save.lua}. */
    private static Optional<Decommission> parseDecommission(String value) {
        int colon = value.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        try {
            long sinceMs = Long.parseLong(value.substring(colon + 1));
            return DecommissionState.ofWireName(value.substring(0, colon)).map(state -> new Decommission(state, sinceMs));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void saveDecommission(String id, Decommission decommission) {
        scripts.run(Script.DECOMMISSION_SAVE, id, decommission.state().wireName(), Long.toString(decommission.sinceMs()));
    }

    @Override
    public void removeDecommission(String id) {
        scripts.run(Script.DECOMMISSION_CANCEL, id);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            session.close();
        }
    }

    private static String[] concat(String[] head, List<String> tail) {
        String[] out = new String[head.length + tail.size()];
        System.arraycopy(head, 0, out, 0, head.length);
        for (int i = 0; i < tail.size(); i++) {
            out[head.length + i] = tail.get(i);
        }
        return out;
    }
}
