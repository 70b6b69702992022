package io.granary.master.store;

import io.granary.common.Actor;
import io.granary.common.GranaryPath;
import io.granary.common.net.Cidr;
import io.granary.master.access.Grant;
import io.granary.master.access.GrantStore;
import io.granary.master.store.LuaScripts.Script;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link GrantStore} on the master's Redis connection. The {@code grant:<id>} hash is the truth; the
 * {@code grants} sorted set (by expiry) and the {@code grants:path:<path>} sets are indexes written
 * after it and cleaned after it is deleted, so an index may briefly name a grant that is gone, which
 * readers skip (and drop from the path set). No multi-key script is needed: no reader ever trusts an
 * index entry without its hash. Keys are in {@code docs/redis-schema.md}.
 */
final class RedisGrantStore implements GrantStore {
    /** The hash outlives its expiry by this much, so cleanup (which needs its path) can still find it. */
    private static final Duration HASH_SLACK = Duration.ofDays(1);

    private final RedisSession session;
    private final LuaScripts scripts;
    private final String prefix;

    RedisGrantStore(RedisSession session, LuaScripts scripts, String prefix) {
        this.session = session;
        this.scripts = scripts;
        this.prefix = prefix;
    }

    @Override
    public void put(Grant grant, Actor actor) {
        scripts.run(Script.GRANT_SAVE, actor, grant.id(), grant.path().value(), grant.cidr().toString(),
                Long.toString(grant.createdMs()), Long.toString(grant.expiresMs()), grant.creator(),
                Long.toString(grant.expiresMs() + HASH_SLACK.toMillis()));
    }

    @Override
    public Optional<Grant> get(String id) {
        Map<String, String> fields = session.call(redis -> redis.hgetall(grantKey(id)));
        return fields.isEmpty() ? Optional.empty() : Optional.of(grant(id, fields));
    }

    @Override
    public List<Grant> onPaths(Collection<GranaryPath> paths) {
        List<Grant> grants = new ArrayList<>();
        for (GranaryPath path : paths) {
            for (String id : session.call(redis -> redis.smembers(pathKey(path)))) {
                Optional<Grant> grant = get(id);
                if (grant.isPresent()) {
                    grants.add(grant.get());
                } else {
                    session.call(redis -> redis.srem(pathKey(path), id));
                }
            }
        }
        return grants;
    }

    @Override
    public List<Grant> live(long nowMs) {
        List<String> ids = session.call(redis -> redis.zrangebyscore(prefix + ":grants",
                Range.from(Range.Boundary.excluding(nowMs), Range.Boundary.unbounded())));
        List<Grant> grants = new ArrayList<>(ids.size());
        for (String id : ids) {
            get(id).ifPresent(grants::add);
        }
        return grants;
    }

    @Override
    public boolean remove(String id, Actor actor) {
        return "1".equals(String.valueOf(scripts.run(Script.GRANT_DELETE, actor == null ? Actor.SYSTEM : actor, id,
                actor == null ? "0" : "1").get(0)));
    }

    @Override
    public List<String> expired(long nowMs, int limit) {
        return session.call(redis -> redis.zrangebyscore(prefix + ":grants",
                Range.create(Double.NEGATIVE_INFINITY, (double) nowMs), Limit.create(0, limit)));
    }

    private String grantKey(String id) {
        return prefix + ":grant:" + id;
    }

    private String pathKey(GranaryPath path) {
        return prefix + ":grants:path:/" + path.value();
    }

    private static Grant grant(String id, Map<String, String> fields) {
        return new Grant(id, GranaryPath.of(fields.get("path")), Cidr.parse(fields.get("cidr")),
                Long.parseLong(fields.get("created")), Long.parseLong(fields.get("expires")),
                fields.getOrDefault("creator", ""));
    }
}
