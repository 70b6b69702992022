package io.granary.master.grpc;

import io.granary.common.grpc.GrpcCalls;
import io.granary.master.access.Grants;
import io.granary.proto.CreateGrantRequest;
import io.granary.proto.Grant;
import io.granary.proto.GrantServiceGrpc;
import io.granary.proto.ListGrantsRequest;
import io.granary.proto.ListGrantsResponse;
import io.granary.proto.MatchGrantRequest;
import io.granary.proto.MatchGrantResponse;
import io.granary.proto.RevokeGrantRequest;
import io.granary.proto.RevokeGrantResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;

/** The IP grants' gRPC surface over {@link Grants}; blocks on Redis, so it runs on the rpc executor. */
public final class GrantGrpcService extends GrantServiceGrpc.GrantServiceImplBase {
    private final Grants grants;

    public GrantGrpcService(Grants grants) {
        this.grants = grants;
    }

    @Override
    public void createGrant(CreateGrantRequest request, StreamObserver<Grant> observer) {
        GrpcCalls.unary(observer, () -> toProto(grants.create(request.getPath(), request.getCidr(),
                Duration.ofSeconds(request.getExpiresInSeconds()), MasterProtos.actor(request.getCreator()))));
    }

    @Override
    public void listGrants(ListGrantsRequest request, StreamObserver<ListGrantsResponse> observer) {
        GrpcCalls.unary(observer, () -> ListGrantsResponse.newBuilder()
                .addAllGrants(grants.list().stream().map(GrantGrpcService::toProto).toList())
                .build());
    }

    @Override
    public void revokeGrant(RevokeGrantRequest request, StreamObserver<RevokeGrantResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            grants.revoke(request.getId(), MasterProtos.actor(request.getRevoker()));
            return RevokeGrantResponse.getDefaultInstance();
        });
    }

    @Override
    public void matchGrant(MatchGrantRequest request, StreamObserver<MatchGrantResponse> observer) {
        GrpcCalls.unary(observer, () -> grants.match(request.getPath(), request.getAddress())
                .map(grant -> MatchGrantResponse.newBuilder().setAllowed(true).setGrant(toProto(grant)).build())
                .orElse(MatchGrantResponse.getDefaultInstance()));
    }

    static Grant toProto(io.granary.master.access.Grant grant) {
        return Grant.newBuilder()
                .setId(grant.id())
                .setPath(grant.path().value())
                .setCidr(grant.cidr().toString())
                .setCreatedMs(grant.createdMs())
                .setExpiresMs(grant.expiresMs())
                .setCreator(grant.creator())
                .build();
    }
}
