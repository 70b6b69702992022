package io.granary.master.store;

import io.granary.master.audit.AuditEntry;
import io.granary.master.audit.AuditPage;
import io.granary.master.audit.AuditQuery;
import io.granary.master.audit.AuditStore;
import io.granary.master.store.LuaScripts.Script;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link AuditStore} on the {@code audit} stream (docs/redis-schema.md). The scripts that change the
 * namespace, tokens and grants add its entries ({@code audit} in {@code lib.lua}); this pages through
 * them newest first with XREVRANGE, a bounded batch at a time, and trims them by age with a fenced
 * script.
 */
final class RedisAuditStore implements AuditStore {
    /** The stream's key under the prefix. */
    static final String KEY = "audit";
    /** Entries read per XREVRANGE. */
    private static final int BATCH = 500;

    private final RedisSession session;
    private final LuaScripts scripts;
    private final String key;

    RedisAuditStore(RedisSession session, LuaScripts scripts, String prefix) {
        this.session = session;
        this.scripts = scripts;
        this.key = prefix + ":" + KEY;
    }

    @Override
    public AuditPage list(AuditQuery query, int scanBudget) {
        List<AuditEntry> found = new ArrayList<>();
        Range.Boundary<String> upper = query.after().isEmpty()
                ? (query.untilMs() > 0 ? Range.Boundary.including(query.untilMs() + "-" + Long.MAX_VALUE)
                        : Range.Boundary.unbounded())
                : Range.Boundary.excluding(query.after());
        Range.Boundary<String> lower = query.sinceMs() > 0 ? Range.Boundary.including(query.sinceMs() + "-0")
                : Range.Boundary.unbounded();
        int scanned = 0;
        while (true) {
            int count = Math.min(BATCH, scanBudget - scanned);
            Range<String> range = Range.from(lower, upper);
            List<StreamMessage<String, String>> batch = session.call(redis -> redis.xrevrange(key, range,
                    Limit.from(count)));
            for (StreamMessage<String, String> message : batch) {
                scanned++;
                AuditEntry entry = entry(message);
                if (query.matches(entry)) {
                    found.add(entry);
                    if (found.size() == query.limit()) {
                        return new AuditPage(found, entry.id());
                    }
                }
            }
            if (batch.size() < count) {
                return new AuditPage(found, "");
            }
            String last = batch.get(batch.size() - 1).getId();
            if (scanned >= scanBudget) {
                return new AuditPage(found, last);
            }
            upper = Range.Boundary.excluding(last);
        }
    }

    @Override
    public long trimOlderThan(Duration maxAge) {
        return Long.parseLong(String.valueOf(scripts.run(Script.AUDIT_TRIM, Long.toString(maxAge.toMillis())).get(0)));
    }

    private static AuditEntry entry(StreamMessage<String, String> message) {
        Map<String, String> f = message.getBody();
        String id = message.getId();
        return new AuditEntry(id, Long.parseLong(id.substring(0, id.indexOf('-'))), f.getOrDefault("action", ""),
                f.getOrDefault("path", ""), f.getOrDefault("actor", ""), f.getOrDefault("address", ""),
                f.getOrDefault("requestId", ""), f.getOrDefault("detail", ""));
    }
}
