package io.granary.master.store;

import io.granary.common.Actor;
import io.granary.master.auth.TokenRecord;
import io.granary.master.auth.TokenStore;
import io.granary.master.store.LuaScripts.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link TokenStore} on Redis: {@code token:<sha256>} holds a token's fields, {@code tokens} maps its id
 * to its hash (for listing and revoking by id). Both are written and deleted together by a script.
 * Thread-safe.
 */
final class RedisTokenStore implements TokenStore {
    private final RedisSession session;
    private final LuaScripts scripts;
    private final String prefix;

    RedisTokenStore(RedisSession session, LuaScripts scripts, String prefix) {
        this.session = session;
        this.scripts = scripts;
        this.prefix = prefix;
    }

    @Override
    public void save(String sha256, TokenRecord t, Actor actor) {
        scripts.run(Script.TOKEN_SAVE, actor, sha256, t.id(), t.name(), t.role(), Long.toString(t.createdMs()),
                Long.toString(t.expiresMs()));
    }

    @Override
    public Optional<TokenRecord> findByHash(String sha256) {
        Map<String, String> fields = session.call(redis -> redis.hgetall(prefix + ":token:" + sha256));
        return fields.isEmpty() ? Optional.empty() : Optional.of(record(fields));
    }

    /** An admin's listing: one HGETALL per token, fine for the handful of tokens a cluster has. */
    @Override
    public List<TokenRecord> all() {
        Map<String, String> ids = session.call(redis -> redis.hgetall(prefix + ":tokens"));
        List<TokenRecord> out = new ArrayList<>(ids.size());
        for (String hash : ids.values()) {
            findByHash(hash).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public boolean delete(String id, Actor actor) {
        return "1".equals(scripts.run(Script.TOKEN_DELETE, actor, id).get(0));
    }

    /** A token's record from the fields of its {@code token:<sha256>} hash. */
    static TokenRecord record(Map<String, String> f) {
        return new TokenRecord(f.get("id"), f.getOrDefault("name", ""), f.getOrDefault("role", ""),
                Long.parseLong(f.getOrDefault("created", "0")), Long.parseLong(f.getOrDefault("expires", "0")));
    }
}
