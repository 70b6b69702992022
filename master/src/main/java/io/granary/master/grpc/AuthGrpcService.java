package io.granary.master.grpc;

import io.granary.common.grpc.GrpcCalls;
import io.granary.master.auth.IssuedToken;
import io.granary.master.auth.TokenRecord;
import io.granary.master.auth.Tokens;
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
import io.grpc.stub.StreamObserver;
import java.time.Duration;

/** The master's token rpcs: a thin adapter over {@link Tokens}. */
public final class AuthGrpcService extends AuthServiceGrpc.AuthServiceImplBase {
    private final Tokens tokens;

    public AuthGrpcService(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void createToken(CreateTokenRequest request, StreamObserver<CreateTokenResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            IssuedToken issued = tokens.create(request.getName(), request.getRole(),
                    Duration.ofSeconds(request.getExpiresInSeconds()));
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
            tokens.revoke(request.getId());
            return RevokeTokenResponse.getDefaultInstance();
        });
    }

    @Override
    public void resolveToken(ResolveTokenRequest request, StreamObserver<ResolveTokenResponse> observer) {
        GrpcCalls.unary(observer, () -> tokens.resolve(request.getTokenSha256())
                .map(t -> ResolveTokenResponse.newBuilder().setFound(true).setInfo(toProto(t)).build())
                .orElse(ResolveTokenResponse.getDefaultInstance()));
    }

    static TokenInfo toProto(TokenRecord t) {
        return TokenInfo.newBuilder().setId(t.id()).setName(t.name()).setRole(t.role())
                .setCreatedMs(t.createdMs()).setExpiresMs(t.expiresMs()).build();
    }
}
