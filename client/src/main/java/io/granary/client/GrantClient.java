package io.granary.client;

import io.granary.common.grpc.MasterRetry;
import io.granary.proto.CreateGrantRequest;
import io.granary.proto.GrantServiceGrpc;
import io.granary.proto.GrantServiceGrpc.GrantServiceBlockingStub;
import io.granary.proto.ListGrantsRequest;
import io.granary.proto.MatchGrantRequest;
import io.granary.proto.MatchGrantResponse;
import io.granary.proto.RevokeGrantRequest;
import io.grpc.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The master's IP grants: blocking calls under the metadata deadline, failures as
 * {@link io.granary.common.GranaryException}s (INVALID_ARGUMENT, NOT_FOUND, UNAVAILABLE). Thread-safe.
 */
public final class GrantClient {
    private final GrantServiceBlockingStub stub;
    private final Duration deadline;
    private final MasterRetry retry;

    GrantClient(Channel channel, Duration deadline, MasterRetry retry) {
        this.stub = GrantServiceGrpc.newBlockingStub(channel);
        this.deadline = deadline;
        this.retry = retry;
    }

    /** Lets {@code cidr} (an address or block) read {@code path} for {@code lifetime}; {@code creator} is recorded. */
    public IpGrant create(String path, String cidr, Duration lifetime, String creator) {
        return IpGrant.fromProto(write(s -> s.createGrant(CreateGrantRequest.newBuilder().setPath(path).setCidr(cidr)
                .setExpiresInSeconds(lifetime.toSeconds()).setCreator(creator).build())));
    }

    /** Live grants, soonest expiry first. */
    public List<IpGrant> list() {
        return read(s -> s.listGrants(ListGrantsRequest.getDefaultInstance())).getGrantsList().stream()
                .map(IpGrant::fromProto).toList();
    }

    /** Revokes a grant at once; NOT_FOUND when there is no such live grant. */
    public void revoke(String id) {
        revoke(id, "");
    }

    /** Revokes a grant at once as {@code revoker} (a principal id, for the audit log; "" for the cluster). */
    public void revoke(String id, String revoker) {
        write(s -> s.revokeGrant(RevokeGrantRequest.newBuilder().setId(id).setRevoker(revoker).build()));
    }

    /** The live grant letting {@code address} read {@code path}, if any. */
    public Optional<IpGrant> match(String path, String address) {
        MatchGrantResponse response = read(s -> s.matchGrant(MatchGrantRequest.newBuilder()
                .setPath(path).setAddress(address).build()));
        return response.getAllowed() ? Optional.of(IpGrant.fromProto(response.getGrant())) : Optional.empty();
    }

    private <T> T read(Function<GrantServiceBlockingStub, T> rpc) {
        return retry.call(stub, deadline, true, rpc);
    }

    private <T> T write(Function<GrantServiceBlockingStub, T> rpc) {
        return retry.call(stub, deadline, false, rpc);
    }
}
