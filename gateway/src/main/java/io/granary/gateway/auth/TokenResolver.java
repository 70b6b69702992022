package io.granary.gateway.auth;

import java.util.Optional;

/**
 * Finds the principal of a bearer token. Answers from the authoritative store, or from a cache whose
 * answers are at most {@link CredentialCache#TTL} old and forgotten at once on a revocation through
 * this gateway: a revoked token is refused within that time, and at its next request when it was
 * revoked here. Thread-safe; blocks for at most one metadata round trip.
 */
public interface TokenResolver {
    /**
     * @return the live principal, or empty when the token is unknown, revoked or expired
     * @throws io.granary.common.GranaryException UNAVAILABLE when the store cannot be asked
     */
    Optional<Principal> resolve(String token);
}
