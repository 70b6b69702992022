package io.granary.launcher;

import io.granary.common.grpc.GrpcTls;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The gRPC TLS flags, from PEM files; none set means plaintext. */
final class GrpcTlsOptions {
    @Option(names = "--tls-cert", paramLabel = "PEM", defaultValue = "${env:GRANARY_TLS_CERT}",
            description = "This node's certificate chain for gRPC TLS (with --tls-key).")
    Path cert;

    @Option(names = "--tls-key", paramLabel = "PEM", defaultValue = "${env:GRANARY_TLS_KEY}",
            description = "The private key (PKCS#8 PEM) of --tls-cert.")
    Path key;

    @Option(names = "--tls-ca", paramLabel = "PEM", defaultValue = "${env:GRANARY_TLS_CA}",
            description = "The CA that signs the cluster's certificates: peers are verified against it, and with "
                    + "--tls-cert every call is mutual TLS.")
    Path ca;

    /** The TLS settings, or null for plaintext. */
    GrpcTls tls() {
        return GrpcTls.fromFlags(cert, key, ca);
    }
}
