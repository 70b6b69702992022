package io.granary.master.testing;

import io.granary.master.store.EmbeddedRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A real Redis for tests: the {@code redis-server} binary (the one {@code local} mode runs), with
 * append-only on and its files under the given directory, on a port of its own. {@link #stop()},
 * {@link #kill()} and {@link #startAgain()} restart it on the same data and the same port, so every
 * outage test runs on every machine. It demands a password, as Redis in {@code local} mode does;
 * {@link #uri()} carries it.
 */
public final class RedisFixture implements AutoCloseable {
    private final Path dir;
    private final String password;
    private final int port;
    private EmbeddedRedisServer server;

    private RedisFixture(Path dir, String password, EmbeddedRedisServer server) {
        this.dir = dir;
        this.password = password;
        this.server = server;
        this.port = server.port();
    }

    /** Starts a Redis keeping its files under {@code dir}. */
    public static RedisFixture start(Path dir) {
        String password = "test" + UUID.randomUUID().toString().replace("-", "");
        return new RedisFixture(dir, password, EmbeddedRedisServer.start(dir.resolve("redis"), 0, true, password));
    }

    public String uri() {
        return "redis://:" + password + "@127.0.0.1:" + port;
    }

    /** Stops Redis cleanly. */
    public synchronized void stop() {
        server.close();
    }

    /** Kills Redis at once, as a crash would. */
    public synchronized void kill() {
        server.kill();
    }

    /** Starts Redis again on the same data and port, after {@link #stop()} or {@link #kill()}. */
    public synchronized void startAgain() {
        server = EmbeddedRedisServer.start(dir.resolve("redis"), port, true, password);
    }

    /**
     * Holds every client's write commands (scripts included) for {@code duration}, as a Redis that
     * stalls would (CLIENT PAUSE ... WRITE); reads go on. A held command is not lost: Redis runs it
     * when the pause ends, in the order each connection sent it.
     */
    public void pauseWrites(Duration duration) {
        control("PAUSE " + duration.toMillis() + " WRITE");
    }

    /** Ends a pause at once (CLIENT UNPAUSE): the held commands run now. */
    public void resumeWrites() {
        control("UNPAUSE");
    }

    private void control(String clientArguments) {
        RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
            for (String word : clientArguments.split(" ")) {
                args.add(word);
            }
            connection.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8), args);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Override
    public synchronized void close() {
        server.close();
    }
}
