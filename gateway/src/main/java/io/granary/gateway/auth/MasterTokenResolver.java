package io.granary.gateway.auth;

import io.granary.client.GranaryClient;
import io.granary.client.TokenMeta;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Resolves tokens by asking the master on every request, sending only the token's SHA-256. Nothing is
 * cached on purpose: a revoked token must fail on its very next request, and the lookup is one small
 * Redis HGETALL behind one gRPC round trip, cheap next to any file transfer. A cache would need an
 * invalidation channel from the master to every gateway to keep that promise.
 */
public final class MasterTokenResolver implements TokenResolver {
    private final GranaryClient client;

    public MasterTokenResolver(GranaryClient client) {
        this.client = client;
    }

    @Override
    public Optional<Principal> resolve(String token) {
        return client.resolveToken(sha256(token)).map(MasterTokenResolver::principal);
    }

    private static Principal principal(TokenMeta t) {
        return new Principal(t.id(), t.name(), Role.parse(t.role()));
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
