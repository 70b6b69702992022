package io.granary.client;

import io.granary.common.Actor;
import io.granary.common.grpc.MasterRetry;
import io.granary.proto.AuthServiceGrpc;
import io.granary.proto.AuthServiceGrpc.AuthServiceBlockingStub;
import io.granary.proto.CreateTokenRequest;
import io.granary.proto.ListTokensRequest;
import io.granary.proto.ResolveTokenRequest;
import io.granary.proto.RevokeTokenRequest;
import io.granary.proto.TokenInfo;
import io.grpc.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Blocking calls to the master's {@code AuthService}, under the metadata deadline. Thread-safe. */
final class AuthCalls {
    private final AuthServiceBlockingStub stub;
    private final Duration deadline;
    private final MasterRetry retry;

    AuthCalls(Channel channel, Duration deadline, MasterRetry retry) {
        this.stub = AuthServiceGrpc.newBlockingStub(channel);
        this.deadline = deadline;
        this.retry = retry;
    }

    NewToken create(String name, String role, Duration expiresIn, Actor actor) {
        CreateTokenRequest.Builder request = CreateTokenRequest.newBuilder().setName(name).setRole(role)
                .setExpiresInSeconds(expiresIn.toSeconds());
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        var answer = write(s -> s.createToken(request.build()));
        return new NewToken(toMeta(answer.getInfo()), answer.getToken());
    }

    List<TokenMeta> list() {
        return read(s -> s.listTokens(ListTokensRequest.getDefaultInstance())).getTokensList().stream()
                .map(AuthCalls::toMeta).toList();
    }

    void revoke(String id, Actor actor) {
        RevokeTokenRequest.Builder request = RevokeTokenRequest.newBuilder().setId(id);
        ClientProtos.toProto(actor).ifPresent(request::setActor);
        write(s -> s.revokeToken(request.build()));
    }

    Optional<TokenMeta> resolve(String tokenSha256) {
        var answer = read(s -> s.resolveToken(ResolveTokenRequest.newBuilder().setTokenSha256(tokenSha256).build()));
        return answer.getFound() ? Optional.of(toMeta(answer.getInfo())) : Optional.empty();
    }

    static TokenMeta toMeta(TokenInfo t) {
        return new TokenMeta(t.getId(), t.getName(), t.getRole(), Instant.ofEpochMilli(t.getCreatedMs()),
                t.getExpiresMs() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(t.getExpiresMs())));
    }

    private <T> T read(Function<AuthServiceBlockingStub, T> rpc) {
        return retry.call(stub, deadline, true, rpc);
    }

    private <T> T write(Function<AuthServiceBlockingStub, T> rpc) {
        return retry.call(stub, deadline, false, rpc);
    }
}
