package io.granary.chunkserver.grpc;

import io.granary.common.grpc.ChunkAccess;
import io.granary.common.grpc.ClusterSecretInterceptors;
import io.granary.common.grpc.SecretlessAdmission;
import io.granary.proto.ChunkServerServiceGrpc;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import java.util.Optional;
import java.util.Set;

/**
 * A chunkserver's admission of callers without the cluster secret (clients holding only a token): they
 * may call ReadChunk and WriteChunk alone, and each call then needs the master's {@link ChunkAccess}
 * ticket for its handle (and, for a write, its chain), which {@link ChunkServerGrpcService} checks
 * against the request ({@link #ticketsRequired()}). A call that carries a secret, right or wrong, is
 * left to the secret; every other rpc (heartbeats, copies, reflection) stays the cluster's own.
 */
public final class TicketAdmission implements SecretlessAdmission {
    private static final Set<String> DATA_PATH = Set.of(
            ChunkServerServiceGrpc.getReadChunkMethod().getFullMethodName(),
            ChunkServerServiceGrpc.getWriteChunkMethod().getFullMethodName());
    private static final Context.Key<Boolean> REQUIRED = Context.keyWithDefault("granary-chunk-ticket", false);

    /** Whether the current call was admitted without the secret, and so must show a ticket. */
    static boolean ticketsRequired() {
        return REQUIRED.get();
    }

    @Override
    public Optional<Context> admit(ServerCall<?, ?> call, Metadata headers) {
        if (ClusterSecretInterceptors.carriesSecret(headers)
                || !DATA_PATH.contains(call.getMethodDescriptor().getFullMethodName())) {
            return Optional.empty();
        }
        return Optional.of(Context.current().withValue(REQUIRED, true));
    }
}
