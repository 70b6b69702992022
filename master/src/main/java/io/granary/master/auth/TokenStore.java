package io.granary.master.auth;

import io.granary.common.Actor;
import java.util.List;
import java.util.Optional;

/**
 * Where tokens live, by the SHA-256 of their secret. Implementations are thread-safe; every method
 * blocks for one or a few store round trips and throws {@link io.granary.common.GranaryException}
 * UNAVAILABLE when the store cannot be reached.
 */
public interface TokenStore {
    /**
     * Stores a token under its hash, atomically with its id index and its entry in the audit log as
     * created by {@code actor}.
     */
    void save(String sha256, TokenRecord token, Actor actor);

    /** The token whose secret has this hash, if it exists (expired or not). */
    Optional<TokenRecord> findByHash(String sha256);

    /** Every token, in no particular order. */
    List<TokenRecord> all();

    /**
     * Deletes the token with this id and its hash key atomically, with its entry in the audit log as
     * revoked by {@code actor}; false (and no entry) when there was none.
     */
    boolean delete(String id, Actor actor);
}
