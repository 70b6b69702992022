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
import java.util.Optional;
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

    /** A server on {@code port} that speaks TLS when configured and refuses calls without the secret. */
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
        ServerBuilder<?> builder = bindAddress == null ? Grpc.newServerBuilderForPort(port, credentials)
                : NettyServerBuilder.forAddress(new InetSocketAddress(bindAddress, port), credentials);
        return secret != null ? builder.intercept(ClusterSecretInterceptors.server(nodeId, secret)) : builder;
    }

    /** A channel to {@code target} ({@code host:port}) that speaks TLS when configured and sends the secret. */
    public ManagedChannelBuilder<?> channelBuilder(String target) {
        ChannelCredentials credentials = tls != null ? tls.channelCredentials() : InsecureChannelCredentials.create();
        ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(target, credentials);
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
