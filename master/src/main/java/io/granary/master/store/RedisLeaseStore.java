package io.granary.master.store;

import io.granary.master.ha.LeaseStore;
import io.granary.master.store.LuaScripts.Script;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@link LeaseStore} on Redis: the hash {@code master:lease} (holder, epoch) with a PEXPIRE, and the
 * counter {@code master:epoch}; each change is one script, so acquiring cannot interleave with a
 * renewal. Thread-safe.
 */
final class RedisLeaseStore implements LeaseStore {
    private final LuaScripts scripts;
    private final RedisSession session;
    private final String leaseKey;

    RedisLeaseStore(LuaScripts scripts, RedisSession session, String prefix) {
        this.scripts = scripts;
        this.session = session;
        this.leaseKey = prefix + ":master:lease";
    }

    @Override
    public Attempt acquire(String holder, Duration ttl) {
        List<Object> reply = scripts.run(Script.LEASE_ACQUIRE, holder, Long.toString(ttl.toMillis()));
        return new Attempt((Long) reply.get(0), Optional.of((String) reply.get(1)));
    }

    @Override
    public boolean renew(String holder, long epoch, Duration ttl) {
        List<Object> reply = scripts.run(Script.LEASE_RENEW, holder, Long.toString(epoch),
                Long.toString(ttl.toMillis()));
        return (Long) reply.get(0) == 1L;
    }

    @Override
    public void release(String holder, long epoch) {
        scripts.run(Script.LEASE_RELEASE, holder, Long.toString(epoch));
    }

    @Override
    public Optional<String> holder() {
        return Optional.ofNullable(session.call(redis -> redis.hget(leaseKey, "holder")));
    }
}
