package io.granary.client.fake;

import io.granary.common.grpc.GrpcCalls;
import io.granary.proto.AuthServiceGrpc;
import io.granary.proto.CreateTokenRequest;
import io.granary.proto.CreateTokenResponse;
import io.granary.proto.ListTokensRequest;
import io.granary.proto.ListTokensResponse;
import io.granary.proto.ResolveTokenRequest;
import io.granary.proto.ResolveTokenResponse;
import io.granary.proto.RevokeTokenRequest;
import io.granary.proto.RevokeTokenResponse;
import io.granary.proto.TokenInfo;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The master's token service kept in test memory, by token hash, as the real one keeps it in Redis.
 * Starts with {@link #ADMIN_TOKEN}; {@link #add} registers more tokens with a chosen secret.
 */
public final class FakeAuth extends AuthServiceGrpc.AuthServiceImplBase {
    /** An admin token every fake cluster knows. */
    public static final String ADMIN_TOKEN = "gr_fake-admin-token-for-gateway-unit-tests";

    private final Map<String, TokenInfo> byHash = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    /** Tokens resolved so far: whether the gateway asked the master at all. */
    public final AtomicInteger resolved = new AtomicInteger();

    FakeAuth() {
        add(ADMIN_TOKEN, "test-admin", "admin");
    }

    /** Registers a token with this secret and role; answers its id. */
    public String add(String secret, String name, String role) {
        String id = "tok_" + String.format("%016x", nextId.incrementAndGet());
        byHash.put(sha256(secret), TokenInfo.newBuilder().setId(id).setName(name).setRole(role)
                .setCreatedMs(1_700_000_000_000L).build());
        return id;
    }

    @Override
    public void createToken(CreateTokenRequest request, StreamObserver<CreateTokenResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            String secret = "gr_fake" + nextId.get() + "-0123456789abcdef0123456789";
            String id = add(secret, request.getName(), request.getRole());
            return CreateTokenResponse.newBuilder().setToken(secret).setInfo(byHash.get(sha256(secret))).build();
        });
    }

    @Override
    public void listTokens(ListTokensRequest request, StreamObserver<ListTokensResponse> observer) {
        GrpcCalls.unary(observer, () -> ListTokensResponse.newBuilder().addAllTokens(byHash.values()).build());
    }

    @Override
    public void revokeToken(RevokeTokenRequest request, StreamObserver<RevokeTokenResponse> observer) {
        if (!byHash.values().removeIf(t -> t.getId().equals(request.getId()))) {
            observer.onError(Status.NOT_FOUND.withDescription("no token with id '" + request.getId() + "'")
                    .asRuntimeException());
            return;
        }
        observer.onNext(RevokeTokenResponse.getDefaultInstance());
        observer.onCompleted();
    }

    @Override
    public void resolveToken(ResolveTokenRequest request, StreamObserver<ResolveTokenResponse> observer) {
        resolved.incrementAndGet();
        TokenInfo info = byHash.get(request.getTokenSha256());
        observer.onNext(info == null ? ResolveTokenResponse.getDefaultInstance()
                : ResolveTokenResponse.newBuilder().setFound(true).setInfo(info).build());
        observer.onCompleted();
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
