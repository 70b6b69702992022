package io.granary.launcher;

import io.granary.common.grpc.ClusterSecret;
import io.granary.common.grpc.ClusterSecurity;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The cluster secret and gRPC TLS flags of {@code master}, {@code chunkserver} and {@code gateway}.
 * The secret is required: there is no default that would work, so a node never runs open by accident.
 */
final class ClusterSecurityOptions {
    @Option(names = "--cluster-secret", paramLabel = "SECRET", defaultValue = "${env:GRANARY_CLUSTER_SECRET}",
            description = "The secret every node of the cluster shares and sends on every gRPC call; at least "
                    + ClusterSecret.MIN_LENGTH + " characters, e.g. from 'openssl rand -hex 32'. Required. Prefer "
                    + "the environment variable GRANARY_CLUSTER_SECRET: a flag shows in the process list.")
    String clusterSecret;

    @Mixin
    GrpcTlsOptions tls;

    /**
     * @throws IllegalArgumentException when the secret is missing or too short, or the TLS flags are
     *     inconsistent; the message never contains the secret
     */
    ClusterSecurity security() {
        return ClusterSecurity.of(ClusterSecret.of(clusterSecret)).withTls(tls.tls());
    }
}
