package io.granary.chunkserver.wire;

import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.ReconnectBackoff;
import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Channels to other nodes (the master, downstream chunkservers) by {@code host:port}, one cached
 * channel per address. Production opens channels that carry the cluster secret; tests map addresses to in-process
 * channels. Thread-safe. Whoever owns the factory closes it, which closes every channel it made.
 */
public final class ChannelFactory implements AutoCloseable {
    /** Pings an idle connection this often so a peer that vanished is noticed by streams waiting on it. */
    private static final long KEEPALIVE_SECONDS = 30;

    private final Function<String, ManagedChannel> opener;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** A factory whose channels {@code opener} makes from an address. */
    public ChannelFactory(Function<String, ManagedChannel> opener) {
        this.opener = opener;
    }

    /** Channels that carry the cluster secret (and speak TLS when configured), as every node demands. */
    public static ChannelFactory secured(ClusterSecurity security) {
        return new ChannelFactory(address -> ReconnectBackoff.bounded(security.channelBuilder(address)
                .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .build()));
    }

    /** The channel to {@code address} ({@code host:port}), opened on first use. Does not block. */
    public ManagedChannel channel(String address) {
        return channels.computeIfAbsent(address, opener);
    }

    /** Shuts every channel down gracefully: calls in flight may finish. */
    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdown);
    }

    /** Shuts every channel down at once, cancelling calls in flight. */
    public void shutdownNow() {
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
