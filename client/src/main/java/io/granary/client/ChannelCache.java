package io.granary.client;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.ReconnectBackoff;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Maps a chunkserver address to a channel, creating each channel once and keeping it: gRPC channels
 * reconnect by themselves, so one per chunkserver serves every request. Thread-safe. Production uses
 * {@link #secured}; tests pass a factory of in-process channels.
 */
public final class ChannelCache implements AutoCloseable {
    private static final long SHUTDOWN_GRACE_MS = 2_000;
    /**
     * HTTP/2 flow-control window of each stream from a chunkserver: one 128 KiB read message, plenty
     * for a LAN's bandwidth-delay product, instead of gRPC's 1 MiB that grows with its estimate.
     */
    static final int CHUNK_STREAM_WINDOW_BYTES = 128 * 1024;

    private final Function<String, ManagedChannel> factory;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    /** Set in a view made by {@link #intercepted}: the cache that owns the channels. */
    private final ChannelCache owner;
    private final ClientInterceptor interceptor;
    private volatile boolean closed;

    /** @param factory builds the channel for a {@code host:port} address; called once per address */
    public ChannelCache(Function<String, ManagedChannel> factory) {
        this(factory, null, null);
    }

    private ChannelCache(Function<String, ManagedChannel> factory, ChannelCache owner, ClientInterceptor interceptor) {
        this.factory = factory;
        this.owner = owner;
        this.interceptor = interceptor;
    }

    /**
     * A view of this cache whose channels run every call through {@code callInterceptor}: same
     * connections, no new ones. Closing the view does nothing; closing this cache closes its channels.
     */
    ChannelCache intercepted(ClientInterceptor callInterceptor) {
        return new ChannelCache(factory, this, callInterceptor);
    }

    /** Channels that carry {@code security}'s secret (over TLS when set), whose callbacks run on {@code executor}. */
    public static ChannelCache secured(ClusterSecurity security, Executor executor) {
        return new ChannelCache(address -> {
            ManagedChannelBuilder<?> builder = security.channelBuilder(address).executor(executor);
            if (builder instanceof NettyChannelBuilder netty) {
                // A chunk read asks for one message at a time; what a chunkserver sends beyond that
                // waits in this window as direct memory, per stream, so the window is kept small.
                netty.flowControlWindow(CHUNK_STREAM_WINDOW_BYTES);
            }
            return ReconnectBackoff.bounded(builder.build());
        });
    }

    /**
     * The channel to {@code address}, created on first use.
     *
     * @throws GranaryException UNAVAILABLE once the cache is closed
     */
    public Channel get(String address) {
        if (owner != null) {
            return ClientInterceptors.intercept(owner.get(address), interceptor);
        }
        if (closed) {
            throw new GranaryException(ErrorKind.UNAVAILABLE, "the client is closed");
        }
        return channels.computeIfAbsent(address, factory);
    }

    /** Shuts every channel down, cancelling calls still in flight after a short grace period. */
    @Override
    public void close() {
        if (owner != null) {
            return;
        }
        closed = true;
        // All at once first, so the grace periods run side by side rather than one after another.
        channels.values().forEach(ManagedChannel::shutdown);
        channels.values().forEach(ChannelCache::awaitOrCancel);
        channels.clear();
    }

    /** Shuts {@code channel} down, cancelling calls still in flight after a short grace period. */
    static void shutdownGracefully(ManagedChannel channel) {
        channel.shutdown();
        awaitOrCancel(channel);
    }

    private static void awaitOrCancel(ManagedChannel channel) {
        try {
            if (!channel.awaitTermination(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.shutdownNow();
        }
    }
}
