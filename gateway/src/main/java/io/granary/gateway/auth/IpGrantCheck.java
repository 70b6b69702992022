package io.granary.gateway.auth;

import io.granary.client.GranaryClient;
import io.granary.client.IpGrant;
import io.granary.gateway.http.GatewayNode;
import io.javalin.http.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a GET or HEAD of a file through without a token when the master holds a live IP grant for the
 * file (or a directory above it) and the client's address (as {@link ClientIp} decided it). Asked only
 * for reads that carry no credential at all and find no public file (a late grant of
 * {@link AccessControl}): a request with a token is judged by its token. The master is asked every
 * time, so a revoked or expired grant stops at once.
 */
public final class IpGrantCheck implements AccessGrant {
    private static final Logger log = LoggerFactory.getLogger(IpGrantCheck.class);
    static final String VIA = "ip-grant";

    private final GranaryClient client;

    public IpGrantCheck(GranaryClient client) {
        this.client = client;
    }

    @Override
    public Optional<Access> check(Context ctx, RequestedAccess what) {
        if (what.kind() != RequestedAccess.Kind.READ_FILE || what.file().isEmpty()
                || ctx.header("Authorization") != null) {
            return Optional.empty();
        }
        String address = ClientIp.of(ctx).getHostAddress();
        Optional<IpGrant> grant = client.grants().match(what.file().get().value(), address);
        grant.ifPresent(g -> log.debug("{}: grant {} lets {} read {}", GatewayNode.ID, g.id(), address,
                what.file().get()));
        return grant.map(g -> Access.granted(VIA, Optional.empty()));
    }
}
