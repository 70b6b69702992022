package io.granary.common.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one node talks gRPC with the rest of its cluster: the shared {@link ClusterSecret}, sent on
 * and demanded of every call, and optionally {@link GrpcTls}. The one place where servers and
 * channels between nodes are built, so no hop can forget either. Immutable; logs without the secret.
 *
 * @param secret the cluster secret, or null only for {@link #none()} (tests, or a client library
 *               user talking to a cluster that does not need one)
 * @param tls    TLS settings, or null for plaintext
 */
public record ClusterSecurity(ClusterSecret secret, GrpcTls tls) {
    private static final Logger log = LoggerFactory.getLogger(ClusterSecurity.class);
    /**
     * How long a channel with a call in flight, and a server with any connection, wait without a byte
     * from the peer before they ping the connection: a peer that vanished without closing it (a lost
     * machine, a dropped route) then fails its calls within this and gRPC's 20 s ping timeout, instead
     * of when TCP gives up many minutes later, or never for a stream stalled with nothing in flight
     * (a chunkserver's read waiting on a reader's window).
     */
    public static final Duration KEEPALIVE = Duration.ofSeconds(30);
    /**
     * The most frequent pings a server takes: gRPC's shortest client keepalive. gRPC's server default is
     * 5 minutes, and a server that gets a third ping sooner than it allows cuts the connection with
     * every call on it ({@code too_many_pings}): a chunk write that its downstream answers only at the
     * end would be cut after three {@link #KEEPALIVE}s.
     */
    public static final Duration PERMITTED_KEEPALIVE = Duration.ofSeconds(10);

    /** The secret over plaintext gRPC. */
    public static ClusterSecurity of(ClusterSecret secret) {
        if (secret == null) {
            throw new IllegalArgumentException("a cluster secret is required");
        }
        return new ClusterSecurity(secret, null);
    }

    /** No secret and no TLS: in-process tests only; a server built with it accepts any caller. */
    public static ClusterSecurity none() {
        return new ClusterSecurity(null, null);
    }

    /** The same with TLS ({@code null}: plaintext). */
    public ClusterSecurity withTls(GrpcTls value) {
        return new ClusterSecurity(secret, value);
    }

    /**
     * A server on {@code port} that speaks TLS when configured, refuses calls without the secret, pings
     * a silent connection ({@link #KEEPALIVE}) and takes the pings of clients that ping at most every
     * {@link #PERMITTED_KEEPALIVE}.
     */
    public ServerBuilder<?> serverBuilder(String nodeId, int port) {
        return serverBuilder(nodeId, null, port);
    }

    /**
     * As {@link #serverBuilder(String, int)}, listening on {@code bindAddress} only (an IP address or
     * host name; null: every interface).
     */
    public ServerBuilder<?> serverBuilder(String nodeId, String bindAddress, int port) {
        log.info("{}: gRPC server on {}:{} with {}", nodeId, bindAddress == null ? "*" : bindAddress, port, this);
        ServerCredentials credentials = tls != null ? tls.serverCredentials() : InsecureServerCredentials.create();
        ServerBuilder<?> builder = (bindAddress == null ? Grpc.newServerBuilderForPort(port, credentials)
                : NettyServerBuilder.forAddress(new InetSocketAddress(bindAddress, port), credentials))
                .keepAliveTime(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(PERMITTED_KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS);
        return secret != null ? builder.intercept(ClusterSecretInterceptors.server(nodeId, secret)) : builder;
    }

    /**
     * A channel to {@code target} ({@code host:port}) that speaks TLS when configured, sends the secret
     * and pings a silent connection while a call waits on it ({@link #KEEPALIVE}).
     */
    public ManagedChannelBuilder<?> channelBuilder(String target) {
        ChannelCredentials credentials = tls != null ? tls.channelCredentials() : InsecureChannelCredentials.create();
        ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(target, credentials)
                .keepAliveTime(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS);
        return secret != null ? builder.intercept(ClusterSecretInterceptors.client(secret)) : builder;
    }

    /** Chunk access tickets keyed by this cluster's secret; empty without one (no ticket is needed then). */
    public Optional<ChunkAccess> chunkAccess(Clock clock) {
        return secret == null ? Optional.empty() : Optional.of(ChunkAccess.of(secret, clock));
    }

    @Override
    public String toString() {
        return "ClusterSecurity[secret=" + (secret != null ? "***" : "none") + ", tls="
                + (tls == null ? "off" : tls.mutual() ? "mutual" : "on") + "]";
    }
}
