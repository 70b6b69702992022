package io.granary.client.fake;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.grpc.GrpcCalls;
import io.granary.common.net.Cidr;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The master's IP grants in memory, without expiry: enough for the gateway's unit tests. */
public final class FakeGrants extends GrantServiceGrpc.GrantServiceImplBase {
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();

    @Override
    public void createGrant(CreateGrantRequest request, StreamObserver<Grant> observer) {
        GrpcCalls.unary(observer, () -> {
            String id = String.format("%032x", nextId.incrementAndGet());
            Grant grant = Grant.newBuilder().setId(id).setPath(request.getPath().replaceAll("^/+|/+$", ""))
                    .setCidr(Cidr.parse(request.getCidr()).toString()).setCreator(request.getCreator())
                    .setCreatedMs(System.currentTimeMillis())
                    .setExpiresMs(System.currentTimeMillis() + request.getExpiresInSeconds() * 1000).build();
            grants.put(id, grant);
            return grant;
        });
    }

    @Override
    public void listGrants(ListGrantsRequest request, StreamObserver<ListGrantsResponse> observer) {
        GrpcCalls.unary(observer, () -> ListGrantsResponse.newBuilder().addAllGrants(grants.values()).build());
    }

    @Override
    public void revokeGrant(RevokeGrantRequest request, StreamObserver<RevokeGrantResponse> observer) {
        GrpcCalls.unary(observer, () -> {
            if (grants.remove(request.getId()) == null) {
                throw new GranaryException(ErrorKind.NOT_FOUND, "no grant with id '" + request.getId() + "'");
            }
            return RevokeGrantResponse.getDefaultInstance();
        });
    }

    @Override
    public void matchGrant(MatchGrantRequest request, StreamObserver<MatchGrantResponse> observer) {
        GrpcCalls.unary(observer, () -> grants.values().stream()
                .filter(g -> Cidr.parse(g.getCidr()).contains(Cidr.address(request.getAddress())))
                .filter(g -> g.getPath().isEmpty() || request.getPath().equals(g.getPath())
                        || request.getPath().startsWith(g.getPath() + "/"))
                .findFirst()
                .map(g -> MatchGrantResponse.newBuilder().setAllowed(true).setGrant(g).build())
                .orElse(MatchGrantResponse.getDefaultInstance()));
    }
}
