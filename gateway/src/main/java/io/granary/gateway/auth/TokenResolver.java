package io.granary.gateway.auth;

import java.util.Optional;

/**
 * Finds the principal of a bearer token. Must answer from the authoritative store on every call (or
 * from a cache invalidated on revocation), so that a revoked token is refused on its next request.
 * Thread-safe; blocks for one metadata round trip.
 */
public interface TokenResolver {
    /**
     * @return the live principal, or empty when the token is unknown, revoked or expired
     * @throws io.granary.common.GranaryException UNAVAILABLE when the store cannot be asked
     */
    Optional<Principal> resolve(String token);
}
