package io.granary.master.grpc;

import io.granary.common.grpc.GrpcCalls;
import io.granary.master.auth.IssuedS3Key;
import io.granary.master.auth.IssuedToken;
import io.granary.master.auth.S3KeyRecord;
import io.granary.master.auth.S3Keys;
import io.granary.master.auth.TokenRecord;
import io.granary.master.auth.Tokens;
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
import io.grpc.stub.StreamObserver;
import java.time.Duration;

/** The master's token and S3 key rpcs: a thin adapter over {@link Tokens} and {@link S3Keys}. */
public final class AuthGrpcService extends AuthServiceGrpc.AuthServiceImplBase {
    private final Tokens tokens;
    private final S3Keys s3Keys;

    public AuthGrpcService(Tokens tokens, S3Keys s3Keys) {
        this.tokens = tokens;
        this.s3Keys = s3Keys;
    }

    @Override
    public void createToken(CreateTokenRequest request, StreamObserver<CreateTokenResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            IssuedToken issued = tokens.create(request.getName(), request.getRole(),
                    Duration.ofSeconds(request.getExpiresInSeconds()),
                    MasterProtos.actor(request.hasActor(), request.getActor()));
            return CreateTokenResponse.newBuilder().setInfo(toProto(issued.record())).setToken(issued.secret()).build();
        });
    }

    @Override
    public void listTokens(ListTokensRequest request, StreamObserver<ListTokensResponse> observer) {
        GrpcCalls.unary(observer, () -> ListTokensResponse.newBuilder()
                .addAllTokens(tokens.list().stream().map(AuthGrpcService::toProto).toList()).build());
    }

    @Override
    public void revokeToken(RevokeTokenRequest request, StreamObserver<RevokeTokenResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            tokens.revoke(request.getId(), MasterProtos.actor(request.hasActor(), request.getActor()));
            return RevokeTokenResponse.getDefaultInstance();
        });
    }

    @Override
    public void resolveToken(ResolveTokenRequest request, StreamObserver<ResolveTokenResponse> observer) {
        GrpcCalls.unary(observer, () -> tokens.resolve(request.getTokenSha256())
                .map(t -> ResolveTokenResponse.newBuilder().setFound(true).setInfo(toProto(t)).build())
                .orElse(ResolveTokenResponse.getDefaultInstance()));
    }

    @Override
    public void createS3Key(CreateS3KeyRequest request, StreamObserver<CreateS3KeyResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            IssuedS3Key issued = s3Keys.create(request.getTokenId(), request.getAccessKeyId(), request.getSecretKey(),
                    MasterProtos.actor(request.hasActor(), request.getActor()));
            return CreateS3KeyResponse.newBuilder().setInfo(toProto(issued.record()))
                    .setSecretKey(issued.secretKey()).build();
        });
    }

    @Override
    public void listS3Keys(ListS3KeysRequest request, StreamObserver<ListS3KeysResponse> observer) {
        GrpcCalls.unary(observer, () -> ListS3KeysResponse.newBuilder()
                .addAllKeys(s3Keys.list(request.getTokenId(), MasterProtos.actor(request.hasActor(), request.getActor()))
                        .stream().map(AuthGrpcService::toProto).toList()).build());
    }

    @Override
    public void revokeS3Key(RevokeS3KeyRequest request, StreamObserver<RevokeS3KeyResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            s3Keys.revoke(request.getAccessKeyId(), request.getTokenId(),
                    MasterProtos.actor(request.hasActor(), request.getActor()));
            return RevokeS3KeyResponse.getDefaultInstance();
        });
    }

    @Override
    public void resolveS3Key(ResolveS3KeyRequest request, StreamObserver<ResolveS3KeyResponse> observer) {
        GrpcCalls.unary(observer, () -> s3Keys.resolve(request.getAccessKeyId())
                .map(k -> ResolveS3KeyResponse.newBuilder().setFound(true).setSecretKey(k.secretKey())
                        .setToken(toProto(k.token())).build())
                .orElse(ResolveS3KeyResponse.getDefaultInstance()));
    }

    static TokenInfo toProto(TokenRecord t) {
        return TokenInfo.newBuilder().setId(t.id()).setName(t.name()).setRole(t.role())
                .setCreatedMs(t.createdMs()).setExpiresMs(t.expiresMs()).build();
    }

    static S3KeyInfo toProto(S3KeyRecord k) {
        return S3KeyInfo.newBuilder().setAccessKeyId(k.accessKeyId()).setTokenId(k.tokenId())
                .setCreatedMs(k.createdMs()).build();
    }
}
