package io.granary.master.store;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The process's one long-lived Redis connection, and the translation of Redis failures into
 * {@link GranaryException}s. Commands fail fast instead of queueing while disconnected, and every
 * command has a timeout, so a Redis outage surfaces as UNAVAILABLE within seconds, never as a hang;
 * the connection reconnects by itself when Redis is back. Thread-safe.
 */
final class RedisSession implements AutoCloseable {
    private static final String UNAVAILABLE = "metadata store (Redis) unavailable: ";

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final Duration timeout;

    private RedisSession(ClientResources resources, RedisClient client, StatefulRedisConnection<String, String> connection,
                         Duration timeout) {
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.timeout = timeout;
    }

    /**
     * Connects now, recording command latencies in {@code metrics} unless null.
     *
     * @throws GranaryException UNAVAILABLE naming the URI when Redis cannot be reached
     * @throws IllegalArgumentException when the URI is malformed
     */
    static RedisSession connect(String uri, Duration timeout, MeterRegistry metrics) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(timeout);
        // Reconnect quickly after a Redis restart; lettuce's default backoff grows to 30 s.
        ClientResources.Builder builder = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), timeout, 2, TimeUnit.MILLISECONDS));
        if (metrics != null) {
            builder.commandLatencyRecorder(new MicrometerCommandLatencyRecorder(metrics, MicrometerOptions.create()));
        }
        ClientResources resources = builder.build();
        RedisClient client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .build());
        try {
            return new RedisSession(resources, client, client.connect(StringCodec.UTF8), timeout);
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw new GranaryException(ErrorKind.UNAVAILABLE,
                    UNAVAILABLE + "cannot connect to " + RedisUris.masked(uri) + ": " + rootMessage(e), e);
        }
    }

    /** Runs commands, translating failures. */
    <T> T call(Function<RedisCommands<String, String>, T> work) {
        try {
            return work.apply(connection.sync());
        } catch (RedisCommandExecutionException e) {
            throw translateExecution(e);
        } catch (RedisException e) {
            // not connected, timed out, interrupted: the outcome is unknown, retrying later may work
            throw new GranaryException(ErrorKind.UNAVAILABLE, UNAVAILABLE + rootMessage(e), e);
        }
    }

    /**
     * Waits until {@code replicas} replicas have every write this connection sent so far (Redis
     * {@code WAIT}), at most {@code timeout}.
     *
     * @throws GranaryException DEADLINE_EXCEEDED when fewer confirmed in time: the writes are on the
     *     primary, and would be lost if it failed now, so their outcome is unknown to the caller
     */
    void awaitReplicas(int replicas, Duration timeout) {
        long confirmed = call(redis -> redis.waitForReplication(replicas, timeout.toMillis()));
        if (confirmed < replicas) {
            throw new GranaryException(ErrorKind.DEADLINE_EXCEEDED, "metadata store (Redis): the change is on the primary "
                    + "but only " + confirmed + " of " + replicas + " replica(s) confirmed it within "
                    + timeout.toMillis() + " ms; it would be lost if the primary failed now");
        }
    }

    /**
     * As {@link #call}, with the asynchronous commands, pipelined: the commands {@code work} sends are
     * buffered and go out together, in one write, when it waits for a reply with {@link #await}, whose
     * failures are translated here. Only for a session of its own (a tool's): the connection sends
     * nothing by itself meanwhile, so no other caller may use it until {@code work} returns.
     */
    <T> T callPipelined(Function<RedisAsyncCommands<String, String>, T> work) {
        connection.setAutoFlushCommands(false);
        try {
            return call(ignored -> work.apply(connection.async()));
        } finally {
            connection.flushCommands();
            connection.setAutoFlushCommands(true);
        }
    }

    /**
     * The reply of a pipelined command, sending every command buffered so far first; waits at most
     * the command timeout. Call inside {@link #callPipelined}.
     */
    <T> T await(RedisFuture<T> future) {
        if (!future.isDone()) {
            connection.flushCommands();
        }
        return LettuceFutures.awaitOrCancel(future, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static GranaryException translateExecution(RedisCommandExecutionException e) {
        if (e instanceof RedisLoadingException || e instanceof RedisBusyException || isReadOnlyReplica(e)) {
            return new GranaryException(ErrorKind.UNAVAILABLE, UNAVAILABLE + e.getMessage(), e);
        }
        return new GranaryException(ErrorKind.INTERNAL, "metadata store (Redis) refused a command: " + e.getMessage(), e);
    }

    /**
     * A replica refused a write: this connection still points at a primary that Sentinel demoted.
     * Retrying later reaches the new primary once the connection is re-established.
     */
    private static boolean isReadOnlyReplica(RedisCommandExecutionException e) {
        return e.getMessage() != null && e.getMessage().startsWith("READONLY");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return t == e ? message : e.getMessage() + " (" + message + ")";
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
