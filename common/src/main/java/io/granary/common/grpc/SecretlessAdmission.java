package io.granary.common.grpc;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import java.util.Optional;

/**
 * How a server admits a call by a credential other than the cluster secret, which it checks itself:
 * the master a principal's token, a chunkserver a chunk access ticket (see {@link ChunkAccess}).
 * Installed with {@link ClusterSecretInterceptors#admitting}, it is asked for every call but health
 * probes before the call reaches its service. Implementations are thread-safe and may block (they
 * run on the server's call executor).
 */
@FunctionalInterface
public interface SecretlessAdmission {
    /**
     * @return the context to run the call in when this admission claims it (the call then runs as its
     *         credential says, and the cluster secret is not asked for); empty to leave the call to the
     *         cluster secret
     * @throws io.grpc.StatusRuntimeException to refuse the call with that status
     */
    Optional<Context> admit(ServerCall<?, ?> call, Metadata headers);
}
