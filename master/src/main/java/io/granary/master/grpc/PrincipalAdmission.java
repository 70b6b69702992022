package io.granary.master.grpc;

import io.granary.common.Actor;
import io.granary.common.OverloadedException;
import io.granary.common.Role;
import io.granary.common.grpc.GrpcErrors;
import io.granary.common.grpc.SecretlessAdmission;
import io.granary.common.net.AuthFailureLimiter;
import io.granary.master.auth.TokenRecord;
import io.granary.master.auth.Tokens;
import io.granary.proto.AuthServiceGrpc;
import io.granary.proto.GrantServiceGrpc;
import io.granary.proto.MasterServiceGrpc;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The master's admission of a principal: a call with metadata {@code authorization: Bearer <token>}
 * runs as that token's principal, whether or not it also carries the cluster secret. The token is
 * resolved in Redis by {@link Tokens#resolve} (the one resolution the gateway's ResolveToken uses
 * too), on every call, so a revocation counts at once. Its role must reach the one {@link #ROLES} names
 * for the rpc; an rpc not named there (the chunkservers' registration, the gateway's resolutions,
 * server reflection) is the cluster's own and refused to every token. The principal replaces whatever
 * actor the request names ({@link #caller()}), so a token can never act as another principal, nor as
 * the cluster itself. Failed authentications are limited per caller address as on the gateway (an
 * {@link AuthFailureLimiter}): an address out of tries is refused with RESOURCE_EXHAUSTED and a
 * {@link GrpcErrors#RETRY_PUSHBACK_MS} trailer before its token is looked up, so a guesser costs Redis
 * nothing and learns nothing; calls with the cluster secret and no token are never limited. Thread-safe.
 */
public final class PrincipalAdmission implements SecretlessAdmission {
    /** The metadata a token travels in, as HTTP's header. */
    public static final String HEADER = "authorization";
    static final Metadata.Key<String> KEY = Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";
    private static final Pattern TOKEN_SYNTAX = Pattern.compile("[A-Za-z0-9_\\-]{16,256}");
    private static final Context.Key<Actor> CALLER = Context.key("granary-principal");

    /**
     * The role each rpc needs of a token: as the gateway's routes need of theirs (a writer changes only
     * what it owns, and a principal manages only its own S3 keys, which the master checks with the
     * change). The one table of what a token may call.
     */
    static final Map<String, Role> ROLES = Map.ofEntries(
            Map.entry(MasterServiceGrpc.getGetFileMethod().getFullMethodName(), Role.READER),
            Map.entry(MasterServiceGrpc.getListDirectoryMethod().getFullMethodName(), Role.READER),
            Map.entry(MasterServiceGrpc.getGetClusterMethod().getFullMethodName(), Role.READER),
            Map.entry(MasterServiceGrpc.getStartUploadMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getAllocateChunkMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getCommitUploadMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getAbandonUploadMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getRecordPartMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getListPartsMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getListMultipartUploadsMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getCompleteMultipartUploadMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getDeleteFileMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getMakeDirectoryMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getDeleteDirectoryMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getRenameMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getSetReplicationMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getSetVisibilityMethod().getFullMethodName(), Role.WRITER),
            Map.entry(MasterServiceGrpc.getFsckMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(MasterServiceGrpc.getDecommissionChunkServerMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(MasterServiceGrpc.getListAuditMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(AuthServiceGrpc.getCreateTokenMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(AuthServiceGrpc.getListTokensMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(AuthServiceGrpc.getRevokeTokenMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(AuthServiceGrpc.getCreateS3KeyMethod().getFullMethodName(), Role.READER),
            Map.entry(AuthServiceGrpc.getListS3KeysMethod().getFullMethodName(), Role.READER),
            Map.entry(AuthServiceGrpc.getRevokeS3KeyMethod().getFullMethodName(), Role.READER),
            Map.entry(GrantServiceGrpc.getCreateGrantMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(GrantServiceGrpc.getListGrantsMethod().getFullMethodName(), Role.ADMIN),
            Map.entry(GrantServiceGrpc.getRevokeGrantMethod().getFullMethodName(), Role.ADMIN));

    private final Tokens tokens;
    private final AuthFailureLimiter failures;

    public PrincipalAdmission(Tokens tokens, AuthFailureLimiter failures) {
        this.tokens = tokens;
        this.failures = failures;
    }

    /** The principal a token admitted the current call as; empty for a caller with the cluster secret. */
    public static Optional<Actor> caller() {
        return Optional.ofNullable(CALLER.get());
    }

    @Override
    public Optional<Context> admit(ServerCall<?, ?> call, Metadata headers) {
        String header = headers.get(KEY);
        if (header == null) {
            return Optional.empty();
        }
        InetAddress address = address(call);
        if (address != null) {
            Duration wait = failures.retryAfter(address);
            if (!wait.isZero()) {
                throw GrpcErrors.toStatus(new OverloadedException("too many failed authentications from "
                        + address.getHostAddress() + "; the next try is counted after " + wait.toMillis() + " ms",
                        wait));
            }
        }
        try {
            return Optional.of(Context.current().withValue(CALLER, principal(call, header, address)));
        } catch (StatusRuntimeException e) {
            if (address != null && e.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
                failures.recordFailure(address);
            }
            throw e;
        }
    }

    /** The actor the token in {@code header} stands for, allowed the call's rpc. */
    private Actor principal(ServerCall<?, ?> call, String header, InetAddress address) {
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw Status.UNAUTHENTICATED.withDescription("the authorization metadata must be 'Bearer <token>'")
                    .asRuntimeException();
        }
        String token = header.substring(BEARER.length()).trim();
        if (!TOKEN_SYNTAX.matcher(token).matches()) {
            throw Status.UNAUTHENTICATED.withDescription("the bearer token is malformed").asRuntimeException();
        }
        String method = call.getMethodDescriptor().getFullMethodName();
        Role needed = ROLES.get(method);
        if (needed == null) {
            throw Status.PERMISSION_DENIED.withDescription(method + " is for the cluster's own nodes, which hold "
                    + "the cluster secret; no token may call it").asRuntimeException();
        }
        TokenRecord record;
        try {
            record = tokens.resolve(Tokens.sha256(token)).orElseThrow(() -> Status.UNAUTHENTICATED
                    .withDescription("the token is unknown, expired or revoked").asRuntimeException());
        } catch (io.granary.common.GranaryException e) {
            throw GrpcErrors.toStatus(e);
        }
        Role role = Role.parse(record.role());
        if (!role.atLeast(needed)) {
            throw Status.PERMISSION_DENIED.withDescription(method + " needs the role " + needed.wireName()
                    + "; this token (" + record.id() + ") has " + role.wireName()).asRuntimeException();
        }
        return new Actor(record.id(), role == Role.ADMIN, address == null ? "" : address.getHostAddress(), "");
    }

    /** The caller's IP as the socket says (a token caller's own claim of an address is not taken); null if none. */
    private static InetAddress address(ServerCall<?, ?> call) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
