package io.granary.common.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS for gRPC from PEM files. A server presents {@code cert}/{@code key}; with a {@code ca} it also
 * demands a client certificate signed by it (mutual TLS). A client trusts {@code ca} (the system's
 * roots without one) and presents {@code cert}/{@code key} when given. Immutable.
 *
 * @param cert this node's certificate chain (PEM), or null on a client without a certificate
 * @param key  the certificate's private key (PEM, PKCS#8), given together with {@code cert}
 * @param ca   the certificate authority (PEM) that signs the cluster's certificates, or null
 */
public record GrpcTls(Path cert, Path key, Path ca) {

    public GrpcTls {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both or neither");
        }
        if (cert == null && ca == null) {
            throw new IllegalArgumentException("TLS needs --tls-cert and --tls-key, or at least --tls-ca");
        }
        requireReadable("--tls-cert", cert);
        requireReadable("--tls-key", key);
        requireReadable("--tls-ca", ca);
    }

    /**
     * TLS from the three flags, or null when none is set (plaintext).
     *
     * @throws IllegalArgumentException when they are set inconsistently or a file cannot be read
     */
    public static GrpcTls fromFlags(Path cert, Path key, Path ca) {
        return cert == null && key == null && ca == null ? null : new GrpcTls(cert, key, ca);
    }

    /** Whether servers demand, and clients present, a certificate. */
    public boolean mutual() {
        return cert != null && ca != null;
    }

    /** What a server listens with: its certificate, and client certificates required when a CA is set. */
    public ServerCredentials serverCredentials() {
        if (cert == null) {
            throw new IllegalArgumentException("a TLS server needs --tls-cert and --tls-key");
        }
        try {
            TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
                    .keyManager(cert.toFile(), key.toFile());
            if (ca != null) {
                builder.trustManager(ca.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the TLS certificate or key: " + e.getMessage(), e);
        }
    }

    /** What a client connects with: trusts the CA, presents its own certificate when it has one. */
    public ChannelCredentials channelCredentials() {
        try {
            TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
            if (cert != null) {
                builder.keyManager(cert.toFile(), key.toFile());
            }
            if (ca != null) {
                builder.trustManager(ca.toFile());
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the TLS certificate, key or CA: " + e.getMessage(), e);
        }
    }

    private static void requireReadable(String flag, Path file) {
        if (file != null && !Files.isReadable(file)) {
            throw new IllegalArgumentException(flag + " " + file + " is not a readable file");
        }
    }
}
