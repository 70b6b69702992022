package io.granary.master.store;

import com.fasterxml.jackson.core.JsonGenerator;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.master.store.BackupFormat.KeyType;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes every key under a prefix to a backup file while Redis holds writes (the caller pauses and
 * resumes them): the keys of each SCAN page are read pipelined (TYPE and PTTL, then the first page of
 * each value), and a value larger than a page is read on in pages, so neither the namespace nor a
 * large key is ever held in memory whole. Not thread-safe: one snapshot per instance.
 */
final class BackupWriter {
    /** The elements of a value read with the first, pipelined, command: keeps a page of keys small. */
    private static final int FIRST_PAGE = 100;
    /** The largest magnitude below which every integer is a double exactly (2^53). */
    private static final double EXACT_LONG = 9_007_199_254_740_992d;

    private final RedisAsyncCommands<String, String> redis;
    private final RedisSession session;
    private final String prefix;
    private final String lease;
    private final String audit;
    private final JsonGenerator json;
    private final Runnable deadlineCheck;
    private final Map<KeyType, Long> counts = new EnumMap<>(KeyType.class);

    /**
     * @param deadlineCheck called after every page of keys; throws when the pause is about to run out
     */
    BackupWriter(RedisSession session, RedisAsyncCommands<String, String> redis, String prefix, JsonGenerator json,
                 Runnable deadlineCheck) {
        this.session = session;
        this.redis = redis;
        this.prefix = prefix;
        this.lease = prefix + ":master:lease";
        // a log of what happened, not state to restore (and a stream, which the format has no type for)
        this.audit = prefix + ":" + RedisAuditStore.KEY;
        this.json = json;
        this.deadlineCheck = deadlineCheck;
    }

    /**
     * Writes the header, every key but the lease and the audit log, and the trailer; answers the keys
     * written by type.
     */
    Map<KeyType, Long> write(int schema) {
        try {
            header(schema);
            ScanArgs match = ScanArgs.Builder.matches(glob(prefix) + ":*").limit(BackupFormat.PAGE);
            KeyScanCursor<String> page = session.await(redis.scan(match));
            while (true) {
                writeKeys(page.getKeys().stream().filter(key -> !key.equals(lease) && !key.equals(audit)).toList());
                deadlineCheck.run();
                if (page.isFinished()) {
                    break;
                }
                page = session.await(redis.scan(page, match));
            }
            json.writeStartObject();
            json.writeBooleanField(BackupFormat.END, true);
            json.writeNumberField(BackupFormat.KEYS, counts.values().stream().mapToLong(Long::longValue).sum());
            json.writeEndObject();
            json.writeRaw('\n');
            return counts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void header(int schema) throws IOException {
        json.writeStartObject();
        json.writeStringField(BackupFormat.HEADER_FORMAT, BackupFormat.FORMAT);
        json.writeNumberField(BackupFormat.HEADER_VERSION, BackupFormat.VERSION);
        json.writeNumberField(BackupFormat.HEADER_SCHEMA, schema);
        json.writeStringField(BackupFormat.HEADER_PREFIX, prefix);
        json.writeStringField(BackupFormat.HEADER_CREATED, Instant.now().toString());
        json.writeEndObject();
        json.writeRaw('\n');
    }

    /** One page of keys: their types and TTLs, then their first pages of values, each pipelined. */
    private void writeKeys(List<String> keys) throws IOException {
        List<RedisFuture<String>> types = keys.stream().map(redis::type).toList();
        List<RedisFuture<Long>> ttls = keys.stream().map(redis::pttl).toList();
        List<RedisFuture<?>> firsts = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            firsts.add(first(keys.get(i), type(keys.get(i), session.await(types.get(i)))));
        }
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            KeyType type = type(key, session.await(types.get(i)));
            json.writeStartObject();
            json.writeStringField(BackupFormat.KEY, key.substring(prefix.length() + 1));
            json.writeStringField(BackupFormat.TYPE, type.wireName());
            json.writeNumberField(BackupFormat.TTL, Math.max(-1, session.await(ttls.get(i))));
            json.writeFieldName(BackupFormat.VALUE);
            value(key, type, session.await(firsts.get(i)));
            json.writeEndObject();
            json.writeRaw('\n');
            counts.merge(type, 1L, Long::sum);
        }
    }

    private static KeyType type(String key, String name) {
        KeyType type = KeyType.of(name);
        if (type == null) {
            throw new GranaryException(ErrorKind.FAILED_PRECONDITION,
                    "key " + key + " is a Redis " + name + ", which no Granary namespace holds; nothing was backed up");
        }
        return type;
    }

    private RedisFuture<?> first(String key, KeyType type) {
        return switch (type) {
            case STRING -> redis.get(key);
            case HASH -> redis.hscan(key, ScanCursor.INITIAL, ScanArgs.Builder.limit(FIRST_PAGE));
            case LIST -> redis.lrange(key, 0, FIRST_PAGE - 1);
            case SET -> redis.sscan(key, ScanCursor.INITIAL, ScanArgs.Builder.limit(FIRST_PAGE));
            case ZSET -> redis.zrangeWithScores(key, 0, FIRST_PAGE - 1);
        };
    }

    /** Writes a value from its first page, reading on in pages while Redis has more. */
    @SuppressWarnings("unchecked")
    private void value(String key, KeyType type, Object first) throws IOException {
        switch (type) {
            case STRING -> json.writeString((String) first);
            case HASH -> hash(key, (MapScanCursor<String, String>) first);
            case LIST -> list(key, (List<String>) first);
            case SET -> set(key, (ValueScanCursor<String>) first);
            case ZSET -> zset(key, (List<ScoredValue<String>>) first);
        }
    }

    /**
     * HSCAN may answer a field twice (when Redis shrinks the hash's table between two pages); both
     * carry the same value, as nothing writes meanwhile, and a restore writes it twice to the same effect.
     */
    private void hash(String key, MapScanCursor<String, String> first) throws IOException {
        json.writeStartObject();
        MapScanCursor<String, String> page = first;
        ScanArgs args = ScanArgs.Builder.limit(BackupFormat.PAGE);
        while (true) {
            for (Map.Entry<String, String> field : page.getMap().entrySet()) {
                json.writeStringField(field.getKey(), field.getValue());
            }
            if (page.isFinished()) {
                break;
            }
            page = session.await(redis.hscan(key, page, args));
        }
        json.writeEndObject();
    }

    private void list(String key, List<String> first) throws IOException {
        json.writeStartArray();
        List<String> page = first;
        long start = 0;
        int size = FIRST_PAGE;
        while (true) {
            for (String element : page) {
                json.writeString(element);
            }
            if (page.size() < size) {
                break;
            }
            start += size;
            size = BackupFormat.PAGE;
            page = session.await(redis.lrange(key, start, start + size - 1));
        }
        json.writeEndArray();
    }

    private void set(String key, ValueScanCursor<String> first) throws IOException {
        json.writeStartArray();
        ValueScanCursor<String> page = first;
        ScanArgs args = ScanArgs.Builder.limit(BackupFormat.PAGE);
        while (true) {
            for (String member : page.getValues()) {
                json.writeString(member);
            }
            if (page.isFinished()) {
                break;
            }
            page = session.await(redis.sscan(key, page, args));
        }
        json.writeEndArray();
    }

    private void zset(String key, List<ScoredValue<String>> first) throws IOException {
        json.writeStartArray();
        List<ScoredValue<String>> page = first;
        long start = 0;
        int size = FIRST_PAGE;
        while (true) {
            for (ScoredValue<String> member : page) {
                json.writeStartArray();
                json.writeString(member.getValue());
                score(member.getScore());
                json.writeEndArray();
            }
            if (page.size() < size) {
                break;
            }
            start += size;
            size = BackupFormat.PAGE;
            page = session.await(redis.zrangeWithScores(key, start, start + size - 1));
        }
        json.writeEndArray();
    }

    /** A score as an integer when it is one (times, zeros: every score of a namespace), exactly otherwise. */
    private void score(double score) throws IOException {
        if (Double.isInfinite(score)) {
            json.writeString(BackupFormat.infinity(score));
        } else if (score == Math.rint(score) && Math.abs(score) <= EXACT_LONG) {
            json.writeNumber((long) score);
        } else {
            json.writeNumber(score);
        }
    }

    /** {@code text} with the characters SCAN's MATCH treats as a pattern escaped. */
    static String glob(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if ("*?[]\\".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
