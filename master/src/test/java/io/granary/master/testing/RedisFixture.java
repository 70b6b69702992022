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
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Redis for tests: a Testcontainers {@code redis:7.2-alpine} with append-only on when a Docker
 * engine is available, else the embedded {@code redis-server} (append-only, under the given
 * directory). {@link #stop()} and {@link #startAgain()} restart it on the same data and the same port,
 * for restart tests; the container flavour does not support that ({@link #canRestart()} says so), since
 * a restarted container gets a new mapped port. Either demands a password, as Redis in {@code local}
 * mode does; {@link #uri()} carries it.
 */
public final class RedisFixture implements AutoCloseable {
    private static final DockerImageName IMAGE = DockerImageName.parse("redis:7.2-alpine");
    private static Boolean dockerAvailable;

    private final Path dir;
    private final String password;
    private final GenericContainer<?> container;
    private EmbeddedRedisServer embedded;
    private final int port;

    private RedisFixture(Path dir, String password, GenericContainer<?> container, EmbeddedRedisServer embedded) {
        this.dir = dir;
        this.password = password;
        this.container = container;
        this.embedded = embedded;
        this.port = embedded != null ? embedded.port() : container.getMappedPort(6379);
    }

    /** Starts a Redis keeping its files under {@code dir} (embedded flavour). */
    public static RedisFixture start(Path dir) {
        String password = "test" + UUID.randomUUID().toString().replace("-", "");
        if (dockerAvailable()) {
            GenericContainer<?> container = new GenericContainer<>(IMAGE)
                    .withExposedPorts(6379)
                    .withCommand("redis-server", "--appendonly", "yes", "--requirepass", password);
            container.start();
            return new RedisFixture(dir, password, container, null);
        }
        return new RedisFixture(dir, password, null, EmbeddedRedisServer.start(dir.resolve("redis"), 0, true, password));
    }

    private static synchronized boolean dockerAvailable() {
        if (dockerAvailable == null) {
            dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
        }
        return dockerAvailable;
    }

    public String uri() {
        String host = container != null ? container.getHost() : "127.0.0.1";
        return "redis://:" + password + "@" + host + ":" + port;
    }

    /** Whether {@link #stop()} then {@link #startAgain()} keeps the data and the URI. */
    public boolean canRestart() {
        return container == null;
    }

    /** Stops Redis cleanly. */
    public void stop() {
        if (container != null) {
            container.stop();
        } else {
            embedded.close();
        }
    }

    /** Kills Redis at once, as a crash would (the container flavour just stops). */
    public void kill() {
        if (container != null) {
            container.stop();
        } else {
            embedded.kill();
        }
    }

    /** Starts Redis again on the same data and port. */
    public void startAgain() {
        if (!canRestart()) {
            throw new UnsupportedOperationException("a Testcontainers Redis cannot restart on the same port");
        }
        embedded = EmbeddedRedisServer.start(dir.resolve("redis"), port, true, password);
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
    public void close() {
        if (container != null) {
            container.stop();
        } else if (embedded != null) {
            embedded.close();
        }
    }
}
