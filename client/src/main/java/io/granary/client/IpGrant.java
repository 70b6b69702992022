package io.granary.client;

import java.time.Instant;

/**
 * An IP grant as the master reports it: addresses in {@code cidr} may read {@code path} (a file, or
 * everything under a directory; empty for the root) without a token until {@code expires}.
 */
public record IpGrant(String id, String path, String cidr, Instant created, Instant expires, String creator) {

    static IpGrant fromProto(io.granary.proto.Grant grant) {
        return new IpGrant(grant.getId(), grant.getPath(), grant.getCidr(), Instant.ofEpochMilli(grant.getCreatedMs()),
                Instant.ofEpochMilli(grant.getExpiresMs()), grant.getCreator());
    }
}
