package io.granary.client.fake;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.S3AccessKeys;
import io.granary.common.grpc.GrpcCalls;
import io.granary.proto.AuthServiceGrpc;
import io.granary.proto.CreateS3KeyRequest;
import io.granary.proto.CreateS3KeyResponse;
import io.granary.proto.CreateTokenRequest;
import io.granary.proto.CreateTokenResponse;
import io.granary.proto.ListS3KeysRequest;
import io.granary.proto.ListS3KeysResponse;
import io.granary.proto.ListTokensRequest;
import io.granary.proto.ListTokensResponse;
import io.granary.proto.ResolveS3KeyRequest;
import io.granary.proto.ResolveS3KeyResponse;
import io.granary.proto.ResolveTokenRequest;
import io.granary.proto.ResolveTokenResponse;
import io.granary.proto.RevokeS3KeyRequest;
import io.granary.proto.RevokeS3KeyResponse;
import io.granary.proto.RevokeTokenRequest;
import io.granary.proto.RevokeTokenResponse;
import io.granary.proto.S3KeyInfo;
import io.granary.proto.TokenInfo;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The master's token service kept in test memory, by token hash, as the real one keeps it in Redis,
 * with S3 keys by access key id (revoking a token deletes its keys, as the real one does).
 * Starts with {@link #ADMIN_TOKEN}; {@link #add} registers more tokens with a chosen secret.
 */
public final class FakeAuth extends AuthServiceGrpc.AuthServiceImplBase {
    /** An admin token every fake cluster knows. */
    public static final String ADMIN_TOKEN = "gr_fake-admin-token-for-gateway-unit-tests";

    private final Map<String, TokenInfo> byHash = new ConcurrentHashMap<>();
    private final Map<String, S3Key> s3Keys = new ConcurrentHashMap<>();
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
        s3Keys.values().removeIf(k -> k.info().getTokenId().equals(request.getId()));
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

    private record S3Key(S3KeyInfo info, String secretKey) {
    }

    @Override
    public synchronized void createS3Key(CreateS3KeyRequest request, StreamObserver<CreateS3KeyResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            String id = request.getAccessKeyId().isEmpty() ? S3AccessKeys.newAccessKeyId() : request.getAccessKeyId();
            String secret = request.getSecretKey().isEmpty() ? S3AccessKeys.newSecretKey() : request.getSecretKey();
            S3AccessKeys.checkAccessKeyId(id);
            S3AccessKeys.checkSecretKey(secret);
            if (token(request.getTokenId()).isEmpty()) {
                throw GranaryException.notFound("no live token with id '" + request.getTokenId() + "'");
            }
            S3Key existing = s3Keys.get(id);
            if (existing != null && !(existing.info().getTokenId().equals(request.getTokenId())
                    && existing.secretKey().equals(secret))) {
                throw new GranaryException(ErrorKind.ALREADY_EXISTS, "the S3 access key id '" + id + "' is taken");
            }
            S3Key key = existing != null ? existing : new S3Key(S3KeyInfo.newBuilder().setAccessKeyId(id)
                    .setTokenId(request.getTokenId()).setCreatedMs(1_700_000_000_000L + s3Keys.size()).build(), secret);
            s3Keys.put(id, key);
            return CreateS3KeyResponse.newBuilder().setInfo(key.info()).setSecretKey(secret).build();
        });
    }

    @Override
    public void listS3Keys(ListS3KeysRequest request, StreamObserver<ListS3KeysResponse> observer) {
        GrpcCalls.unary(observer, () -> ListS3KeysResponse.newBuilder().addAllKeys(s3Keys.values().stream()
                .map(S3Key::info)
                .filter(k -> request.getTokenId().isEmpty() || k.getTokenId().equals(request.getTokenId()))
                .sorted(Comparator.comparingLong(S3KeyInfo::getCreatedMs)).toList()).build());
    }

    @Override
    public synchronized void revokeS3Key(RevokeS3KeyRequest request, StreamObserver<RevokeS3KeyResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            S3Key key = s3Keys.get(request.getAccessKeyId());
            if (key == null) {
                throw GranaryException.notFound("no S3 key with access key id '" + request.getAccessKeyId() + "'");
            }
            if (!request.getTokenId().isEmpty() && !request.getTokenId().equals(key.info().getTokenId())) {
                throw new GranaryException(ErrorKind.PERMISSION_DENIED,
                        "the S3 key '" + request.getAccessKeyId() + "' belongs to another token");
            }
            s3Keys.remove(request.getAccessKeyId());
            return RevokeS3KeyResponse.getDefaultInstance();
        });
    }

    @Override
    public void resolveS3Key(ResolveS3KeyRequest request, StreamObserver<ResolveS3KeyResponse> observer) {
        GrpcCalls.unary(observer, () -> Optional.ofNullable(s3Keys.get(request.getAccessKeyId()))
                .flatMap(k -> token(k.info().getTokenId()).map(t -> ResolveS3KeyResponse.newBuilder().setFound(true)
                        .setSecretKey(k.secretKey()).setToken(t).build()))
                .orElse(ResolveS3KeyResponse.getDefaultInstance()));
    }

    private Optional<TokenInfo> token(String id) {
        return byHash.values().stream().filter(t -> t.getId().equals(id)).findFirst();
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
