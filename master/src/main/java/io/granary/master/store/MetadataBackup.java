package io.granary.master.store;

import com.fasterxml.jackson.core.JsonGenerator;
import io.granary.common.Durations;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.master.store.BackupFormat.KeyType;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Backs up every key of a namespace (a key prefix) to a file, and restores such a file into an empty
 * prefix, talking to Redis directly (docs/redis-schema.md, "Backup format"; docs/operations.md,
 * "Metadata backup and restore").
 *
 * <p>A backup is a point-in-time snapshot taken while the cluster keeps serving: Redis holds every
 * write command and script ({@code CLIENT PAUSE timeout WRITE}, Redis 6.2 or newer) while the keys are
 * read, reads go on, and the pause ends ({@code CLIENT UNPAUSE}) as soon as the last key is read, or
 * when anything fails. The pause lasts at most {@code maxPause}: a read that would take longer is
 * abandoned and nothing is written. The master's lease ({@code master:lease}) is left out, so a restore
 * never brings back the lease of a master that is gone; {@code master:epoch} is kept, so that epochs
 * keep growing. Not thread-safe: one backup or restore at a time.
 */
public final class MetadataBackup implements AutoCloseable {
    /** How long writes may be held by default while a backup reads the namespace. */
    public static final String DEFAULT_MAX_PAUSE_TEXT = "5s";
    public static final Duration DEFAULT_MAX_PAUSE = Durations.parse(DEFAULT_MAX_PAUSE_TEXT);

    /**
     * What a backup wrote or a restore wrote back.
     *
     * @param keysByType   keys by Redis type ({@code hash}, {@code list}, ...), only types present
     * @param schema       the schema version of the namespace
     * @param writesPaused how long Redis held writes (zero for a restore)
     */
    public record Summary(long keys, Map<String, Long> keysByType, int schema, Duration writesPaused) {
    }

    private final RedisSession session;
    private final String prefix;

    private MetadataBackup(RedisSession session, String prefix) {
        this.session = session;
        this.prefix = prefix;
    }

    /**
     * Connects to the Redis at {@code redisUri} for the namespace under {@code keyPrefix}.
     *
     * @throws GranaryException UNAVAILABLE when Redis cannot be reached
     */
    public static MetadataBackup connect(String redisUri, Duration timeout, String keyPrefix) {
        return new MetadataBackup(RedisSession.connect(redisUri, timeout, null), keyPrefix);
    }

    /**
     * Writes a snapshot of the namespace to {@code file}, through {@code file.tmp} moved into place
     * once complete, so {@code file} is either the whole backup or untouched. Blocks while reading;
     * holds Redis writes for at most {@code maxPause}.
     *
     * @throws GranaryException DEADLINE_EXCEEDED when reading would hold writes longer than
     *     {@code maxPause}; UNAVAILABLE when Redis fails; FAILED_PRECONDITION for a Redis without
     *     {@code CLIENT PAUSE ... WRITE} or a key of a type no namespace holds; nothing is written then
     * @throws IOException when the file cannot be written
     */
    public Summary backup(Path file, Duration maxPause) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Summary summary;
            try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)), 1 << 16);
                 JsonGenerator json = BackupFormat.JSON.createGenerator(out)) {
                summary = snapshot(json, maxPause);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return summary;
        } catch (RuntimeException | IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private Summary snapshot(JsonGenerator json, Duration maxPause) {
        long pausedAt = System.nanoTime();
        // Redis ends the pause by itself after maxPause, should this process die meanwhile
        client("PAUSE", Long.toString(maxPause.toMillis()), "WRITE");
        Summary summary;
        try {
            Runnable deadlineCheck = () -> {
                if (System.nanoTime() - pausedAt >= maxPause.toNanos()) {
                    throw new GranaryException(ErrorKind.DEADLINE_EXCEEDED, "reading the namespace " + prefix
                            + " takes longer than writes may be held (" + maxPause.toMillis()
                            + " ms): writes were resumed and no backup was written");
                }
            };
            int schema = schema(session.call(redis -> redis.get(prefix + ":schema")));
            Map<KeyType, Long> counts = session.callPipelined(
                    redis -> new BackupWriter(session, redis, prefix, json, deadlineCheck).write(schema));
            // the pause began after pausedAt: every key was read before it could end, at one point in time
            deadlineCheck.run();
            summary = summary(counts, schema, Duration.ofNanos(System.nanoTime() - pausedAt));
        } catch (RuntimeException | Error e) {
            try {
                client("UNPAUSE");
            } catch (RuntimeException unpause) {
                e.addSuppressed(unpause);
            }
            throw e;
        }
        client("UNPAUSE");
        return summary;
    }

    /** A namespace without a schema key was written before the key existed: version 1. */
    private static int schema(String value) {
        return value == null ? 1 : Integer.parseInt(value);
    }

    /**
     * Writes the backup in {@code file} under this prefix, which must hold no key. Reads the file twice:
     * first to check all of it, then to write it, so that a file that would be refused writes nothing.
     *
     * @throws GranaryException FAILED_PRECONDITION when a key exists under the prefix or the backup's
     *     schema is newer than this build's; INVALID_ARGUMENT when the file is not a backup of a known
     *     format version; DATA_LOSS when it is truncated or damaged; nothing is written then
     * @throws IOException when the file cannot be read
     */
    public Summary restore(Path file) throws IOException {
        BackupReader reader = new BackupReader(file, RedisMetadataStore.SCHEMA_VERSION);
        reader.read(BackupReader.CHECK_ONLY);
        refuseUnlessEmpty();
        return session.callPipelined(redis -> {
            BackupRestorer restorer = new BackupRestorer(session, redis, prefix, System.currentTimeMillis());
            try {
                BackupReader.Header header = reader.read(restorer);
                return summary(restorer.finish(), header.schema(), Duration.ZERO);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void refuseUnlessEmpty() {
        ScanArgs match = ScanArgs.Builder.matches(BackupWriter.glob(prefix) + ":*").limit(BackupFormat.PAGE);
        session.call(redis -> {
            KeyScanCursor<String> page = redis.scan(match);
            while (page.getKeys().isEmpty() && !page.isFinished()) {
                page = redis.scan(page, match);
            }
            if (!page.getKeys().isEmpty()) {
                throw new GranaryException(ErrorKind.FAILED_PRECONDITION, "the prefix " + prefix
                        + " is not empty (it holds " + page.getKeys().get(0) + "): a backup is restored only into "
                        + "an empty prefix; nothing was written");
            }
            return null;
        });
    }

    private void client(String... arguments) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String argument : arguments) {
            args.add(argument);
        }
        try {
            session.call(redis -> redis.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), args));
        } catch (GranaryException e) {
            if (e.getCause() instanceof RedisCommandExecutionException) {
                throw new GranaryException(ErrorKind.FAILED_PRECONDITION, "Redis refused CLIENT "
                        + String.join(" ", arguments) + " (a backup needs Redis 6.2 or newer, and a user allowed "
                        + "CLIENT): " + e.getCause().getMessage(), e);
            }
            throw e;
        }
    }

    private static Summary summary(Map<KeyType, Long> counts, int schema, Duration paused) {
        Map<String, Long> byType = new LinkedHashMap<>();
        new EnumMap<>(counts).forEach((type, count) -> byType.put(type.wireName(), count));
        long keys = byType.values().stream().mapToLong(Long::longValue).sum();
        return new Summary(keys, Collections.unmodifiableMap(byType), schema, paused);
    }

    @Override
    public void close() {
        session.close();
    }
}
