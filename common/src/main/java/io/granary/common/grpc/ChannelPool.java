package io.granary.common.grpc;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Channels to other nodes, one per {@code host:port} address, opened on first use and kept: a gRPC
 * channel reconnects by itself (and {@link ReconnectBackoff} keeps it quick), so one channel per peer
 * serves every call. Production pools are {@link #secured}: their channels carry the cluster secret
 * and speak TLS when configured; tests pass an opener of in-process channels.
 *
 * <p>Thread-safe. Whoever owns the pool closes it, which closes every channel it opened; after that
 * {@link #channel} fails. A view made by {@link #intercepted} shares the channels and closes nothing.
 */
public final class ChannelPool implements AutoCloseable {
    /** The grace {@link #close()} gives calls in flight unless told otherwise. */
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(2);

    private final Function<String, ManagedChannel> opener;
    private final Duration closeGrace;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    /** Set in a view made by {@link #intercepted}: the pool (or view) whose channels it intercepts. */
    private final ChannelPool owner;
    private final ClientInterceptor interceptor;
    private volatile boolean closed;

    /**
     * How a {@link #secured} pool builds its channels (beyond what {@link ClusterSecurity#channelBuilder}
     * gives every channel, keepalive included) and how it closes them.
     *
     * @param executor               where the channels run their callbacks; {@code null}: gRPC's own pool
     * @param flowControlWindowBytes HTTP/2 flow-control window of each stream; 0: gRPC's default
     * @param closeGrace             how long {@link #close()} waits for calls in flight before it cancels
     *                               them; zero: it does not wait and leaves them to finish
     */
    public record Options(Executor executor, int flowControlWindowBytes, Duration closeGrace) {
        /** gRPC's defaults, and {@link #DEFAULT_CLOSE_GRACE}. */
        public static final Options DEFAULTS = new Options(null, 0, DEFAULT_CLOSE_GRACE);

        public Options {
            if (flowControlWindowBytes < 0) {
                throw new IllegalArgumentException("a flow-control window must not be negative");
            }
            if (closeGrace == null || closeGrace.isNegative()) {
                throw new IllegalArgumentException("a close grace must be zero or more");
            }
        }

        public Options withExecutor(Executor value) {
            return new Options(value, flowControlWindowBytes, closeGrace);
        }

        public Options withFlowControlWindowBytes(int value) {
            return new Options(executor, value, closeGrace);
        }

        public Options withCloseGrace(Duration value) {
            return new Options(executor, flowControlWindowBytes, value);
        }
    }

    /**
     * A pool whose channels {@code opener} makes, called once per address.
     *
     * @param closeGrace see {@link Options#closeGrace()}
     */
    public ChannelPool(Function<String, ManagedChannel> opener, Duration closeGrace) {
        this(opener, closeGrace, null, null);
    }

    /** A pool whose channels {@code opener} makes, closed with {@link #DEFAULT_CLOSE_GRACE}. */
    public ChannelPool(Function<String, ManagedChannel> opener) {
        this(opener, DEFAULT_CLOSE_GRACE);
    }

    private ChannelPool(Function<String, ManagedChannel> opener, Duration closeGrace, ChannelPool owner,
                        ClientInterceptor interceptor) {
        if (closeGrace == null || closeGrace.isNegative()) {
            throw new IllegalArgumentException("a close grace must be zero or more");
        }
        this.opener = opener;
        this.closeGrace = closeGrace;
        this.owner = owner;
        this.interceptor = interceptor;
    }

    /** Channels that carry {@code security}'s secret (over TLS when set), built as {@code options} say. */
    public static ChannelPool secured(ClusterSecurity security, Options options) {
        return new ChannelPool(address -> open(security.channelBuilder(address), options), options.closeGrace());
    }

    private static ManagedChannel open(ManagedChannelBuilder<?> builder, Options options) {
        if (options.executor() != null) {
            builder.executor(options.executor());
        }
        if (options.flowControlWindowBytes() > 0 && builder instanceof NettyChannelBuilder netty) {
            netty.flowControlWindow(options.flowControlWindowBytes());
        }
        return ReconnectBackoff.bounded(builder.build());
    }

    /**
     * A view of this pool whose channels run every call through {@code callInterceptor}: the same
     * connections, no new ones. Closing the view does nothing; closing this pool closes its channels.
     */
    public ChannelPool intercepted(ClientInterceptor callInterceptor) {
        return new ChannelPool(opener, closeGrace, this, callInterceptor);
    }

    /**
     * The channel to {@code address} ({@code host:port}), opened on first use. Does not block.
     *
     * @throws GranaryException UNAVAILABLE once the pool is closed
     */
    public Channel channel(String address) {
        if (owner != null) {
            return ClientInterceptors.intercept(owner.channel(address), interceptor);
        }
        if (closed) {
            throw closedError();
        }
        ManagedChannel channel = channels.computeIfAbsent(address, opener);
        if (closed) { // closed while this channel was opened: close() may not have seen it
            channel.shutdownNow();
            throw closedError();
        }
        return channel;
    }

    private static GranaryException closedError() {
        return new GranaryException(ErrorKind.UNAVAILABLE, "the channels to other nodes are closed");
    }

    /**
     * Shuts every channel down: calls in flight may finish within the close grace, then are cancelled
     * (with a zero grace, returns at once and leaves them to finish). Idempotent.
     */
    @Override
    public void close() {
        if (owner != null) {
            return;
        }
        closed = true;
        // All at once first, so the grace periods run side by side rather than one after another.
        channels.values().forEach(ManagedChannel::shutdown);
        if (!closeGrace.isZero()) {
            channels.values().forEach(channel -> awaitOrCancel(channel, closeGrace));
            channels.clear();
        }
    }

    /** Shuts every channel down at once, cancelling calls in flight. Idempotent. */
    public void shutdownNow() {
        if (owner != null) {
            return;
        }
        closed = true;
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }

    /** Shuts {@code channel} down, cancelling calls still in flight after {@code grace}. */
    public static void shutdownGracefully(ManagedChannel channel, Duration grace) {
        channel.shutdown();
        awaitOrCancel(channel, grace);
    }

    private static void awaitOrCancel(ManagedChannel channel, Duration grace) {
        try {
            if (!channel.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.shutdownNow();
        }
    }
}
