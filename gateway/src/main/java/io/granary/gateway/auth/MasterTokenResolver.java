package io.granary.gateway.auth;

import io.granary.client.TokenMeta;
import io.granary.common.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Resolves tokens with the master, sending only the token's SHA-256, through the gateway's
 * {@link CredentialCache}: a token used again within {@link CredentialCache#TTL} costs no round trip,
 * and a revoked one is refused within that time (at once when revoked through this gateway).
 */
public final class MasterTokenResolver implements TokenResolver {
    private final CredentialCache credentials;

    public MasterTokenResolver(CredentialCache credentials) {
        this.credentials = credentials;
    }

    @Override
    public Optional<Principal> resolve(String token) {
        return credentials.token(sha256(token)).map(MasterTokenResolver::principal);
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
