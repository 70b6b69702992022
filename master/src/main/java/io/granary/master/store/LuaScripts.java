package io.granary.master.store;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Lua scripts of {@code src/main/resources/lua}, each prefixed with {@code lib.lua}, loaded once
 * with SCRIPT LOAD and run with EVALSHA. A Redis that forgot them (restarted) answers NOSCRIPT; they
 * are then loaded again and the call retried once. Thread-safe.
 */
final class LuaScripts {

    /** The scripts; see docs/redis-schema.md for what each does atomically. */
    enum Script {
        INIT, LOOKUP, START_UPLOAD, ALLOCATE, BEGIN_COMMIT, COMMIT, ABANDON, EXPIRE_UPLOADS, DELETE, CLASSIFY, PURGE_TRASH,
        MKDIR, LIST, DELETE_DIR, RECLAIM, RENAME, SET_REPLICATION, SET_VISIBILITY, TOKEN_SAVE, TOKEN_DELETE,
        S3_KEY_SAVE, S3_KEY_DELETE, S3_KEY_RESOLVE, RECORD_PART, LIST_PARTS, LIST_UPLOADS, COMPLETE_MULTIPART;

        String resource() {
            return "lua/" + name().toLowerCase(Locale.ROOT) + ".lua";
        }
    }

    private final RedisSession session;
    private final String[] keys;
    private final Map<Script, String> sources = new EnumMap<>(Script.class);
    private final Map<Script, String> shas = new EnumMap<>(Script.class);

    LuaScripts(RedisSession session, String keyPrefix) {
        this.session = session;
        this.keys = new String[] {keyPrefix};
        String lib = read("lua/lib.lua");
        for (Script script : Script.values()) {
            sources.put(script, lib + "\n" + read(script.resource()));
        }
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
     * @throws GranaryException of the kind the script answered instead of {@code 'ok'}, or UNAVAILABLE
     */
    List<Object> run(Script script, String... args) {
        List<Object> reply;
        try {
            reply = session.call(redis -> redis.evalsha(sha(script), ScriptOutputType.MULTI, keys, args));
        } catch (GranaryException e) {
            if (!(e.getCause() instanceof RedisNoScriptException)) {
                throw e;
            }
            loadAll();
            reply = session.call(redis -> redis.evalsha(sha(script), ScriptOutputType.MULTI, keys, args));
        }
        String status = (String) reply.get(0);
        if (!"ok".equals(status)) {
            throw new GranaryException(ErrorKind.valueOf(status), (String) reply.get(1));
        }
        return reply.subList(1, reply.size());
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
