package io.granary.master.store;

import io.granary.common.Actor;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.NotActiveException;
import io.granary.master.ha.Fence;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Lua scripts of {@code src/main/resources/lua}, each prefixed with {@code lib.lua}, loaded once
 * with SCRIPT LOAD and run with EVALSHA. A Redis that forgot them (restarted) answers NOSCRIPT; they
 * are then loaded again and the call retried once.
 *
 * <p>Every script but the lease's is also prefixed with {@code fence.lua} and sent this master's
 * fencing epoch ({@link #fenceWith}): a master that lost its lease is refused by Redis itself, in
 * the same atomic step as the change it attempted, and {@link #run} throws {@link NotActiveException}.
 * After {@code fence.lua} comes {@code audit.lua}: every fenced script is sent who asks and from where
 * ({@link #run(Script, Actor, String...)}) and the audit log's cap ({@link #keepAudit}), so the scripts
 * that change something record it in the same atomic step.
 * Thread-safe.
 */
final class LuaScripts {

    /** The scripts; see docs/redis-schema.md for what each does atomically. */
    enum Script {
        INIT, LOOKUP(Access.READ), START_UPLOAD, ALLOCATE, BEGIN_COMMIT, COMMIT, ABANDON, EXPIRE_UPLOADS, DELETE,
        CLASSIFY(Access.READ), PURGE_TRASH, MKDIR, LIST(Access.READ), DELETE_DIR, RECLAIM, RENAME, SET_REPLICATION,
        SET_VISIBILITY, TOKEN_SAVE, TOKEN_DELETE, S3_KEY_SAVE, S3_KEY_DELETE, S3_KEY_RESOLVE(Access.READ), RECORD_PART,
        LIST_PARTS(Access.READ), LIST_UPLOADS(Access.READ), COMPLETE_MULTIPART, CHUNKSERVER_SAVE, CHUNKSERVER_FORGET,
        DECOMMISSION_SAVE, DECOMMISSION_CANCEL, GRANT_SAVE, GRANT_DELETE, AUDIT_TRIM,
        LEASE_ACQUIRE(Access.LEASE), LEASE_RENEW(Access.LEASE), LEASE_RELEASE(Access.LEASE);

        private final Access access;

        Script() {
            this(Access.WRITE);
        }

        Script(Access access) {
            this.access = access;
        }

        String resource() {
            return "lua/" + name().toLowerCase(Locale.ROOT) + ".lua";
        }

        boolean fenced() {
            return access != Access.LEASE;
        }

        boolean writes() {
            return access != Access.READ;
        }
    }

    /** How many replicas every change waits for, and how long at most; one value, so never half set. */
    private record ReplicaWait(int replicas, Duration timeout) {
        static final ReplicaWait NONE = new ReplicaWait(0, Duration.ZERO);
    }

    /** What a script does: reads, or changes the namespace (both fenced), or moves the lease (not fenced). */
    private enum Access {
        READ, WRITE, LEASE
    }

    /** The epoch sent by a store that has none: such a caller (a tool, a test) is not fenced. */
    private static final String UNFENCED = "";
    /** What {@code fence.lua} answers instead of {@code 'ok'}. */
    private static final String FENCED = "FENCED";

    private final RedisSession session;
    private final String[] keys;
    private final Map<Script, String> sources = new EnumMap<>(Script.class);
    private final Map<Script, String> shas = new EnumMap<>(Script.class);
    private volatile Fence fence;
    private volatile ReplicaWait replicaWait = ReplicaWait.NONE;
    /** The most entries the audit log keeps; 0 (a store nobody configured: a tool, a test) for no cap. */
    private volatile long auditMaxEntries;

    LuaScripts(RedisSession session, String keyPrefix) {
        this.session = session;
        this.keys = new String[] {keyPrefix};
        String lib = read("lua/lib.lua");
        String fencing = read("lua/fence.lua") + "\n" + read("lua/audit.lua") + "\n";
        for (Script script : Script.values()) {
            sources.put(script, lib + "\n" + (script.fenced() ? fencing : "") + read(script.resource()));
        }
    }

    /**
     * Makes every later change wait until {@code replicas} Redis replicas have it (WAIT), at most
     * {@code timeout} each; 0 replicas for no wait.
     */
    void awaitReplicas(int replicas, Duration timeout) {
        this.replicaWait = new ReplicaWait(replicas, timeout);
    }

    /** Waits for the replicas configured with {@link #awaitReplicas}, if any, to have every change so far. */
    void awaitReplication() {
        ReplicaWait wait = replicaWait;
        if (wait.replicas() > 0) {
            session.awaitReplicas(wait.replicas(), wait.timeout());
        }
    }

    /** Caps the audit log at {@code maxEntries} entries from the next change on (the oldest go). */
    void keepAudit(long maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the audit log must keep at least 1 entry, not " + maxEntries);
        }
        this.auditMaxEntries = maxEntries;
    }

    /** Fences every later script with {@code fence}'s epoch. */
    void fenceWith(Fence fence) {
        this.fence = fence;
    }

    /** Loads every script into Redis. */
    synchronized void loadAll() {
        for (Script script : Script.values()) {
            String source = sources.get(script);
            shas.put(script, session.call(redis -> redis.scriptLoad(source)));
        }
    }

    /**
     * Runs a script and returns its answer after the leading {@code 'ok'}.
     *
     * Waits for replicas after a change when configured ({@link #awaitReplicas}).
     *
     * @throws NotActiveException when this master's epoch was superseded (a fenced script did nothing)
     * @throws GranaryException of the kind the script answered instead of {@code 'ok'}, or UNAVAILABLE
     */
    List<Object> run(Script script, String... args) {
        return run(script, Actor.SYSTEM, args);
    }

    /**
     * As {@link #run(Script, String...)}, a change asked for by {@code actor}: the scripts that record
     * a change in the audit log record it as this actor's, from its address and request id.
     */
    List<Object> run(Script script, Actor actor, String... args) {
        Fence current = fence;
        long epoch = current == null ? 0 : current.epoch();
        String[] sent = script.fenced() ? prepend(args, current == null ? UNFENCED : Long.toString(epoch),
                actor.id(), actor.address(), actor.requestId(), Long.toString(auditMaxEntries)) : args;
        List<Object> reply;
        try {
            reply = session.call(redis -> redis.evalsha(sha(script), ScriptOutputType.MULTI, keys, sent));
        } catch (GranaryException e) {
            if (!(e.getCause() instanceof RedisNoScriptException)) {
                throw e;
            }
            loadAll();
            reply = session.call(redis -> redis.evalsha(sha(script), ScriptOutputType.MULTI, keys, sent));
        }
        String status = (String) reply.get(0);
        if (FENCED.equals(status)) {
            throw current.superseded(epoch, (String) reply.get(1));
        }
        if (!"ok".equals(status)) {
            throw new GranaryException(ErrorKind.valueOf(status), (String) reply.get(1));
        }
        if (script.writes()) {
            awaitReplication();
        }
        return reply.subList(1, reply.size());
    }

    private static String[] prepend(String[] rest, String... first) {
        String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    private synchronized String sha(Script script) {
        return shas.get(script);
    }

    private static String read(String resource) {
        try (InputStream in = LuaScripts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
