package io.granary.master.auth;

import io.granary.common.Actor;
import java.util.List;
import java.util.Optional;

/**
 * Where S3 keys live, by access key id, with the secret key itself (a signature check needs it). Each
 * method is one atomic step of the store, so a key never outlives its token's revocation. Implementations
 * are thread-safe; every method blocks for one or a few store round trips and throws
 * {@link io.granary.common.GranaryException} UNAVAILABLE when the store cannot be reached.
 */
public interface S3KeyStore {
    /**
     * Stores a key for its token, checking in the same step that the token is live at {@code nowMs}.
     *
     * @return the stored key; for an access key id that exists already with the same token and secret
     *         key, that key as it was (its creation time unchanged)
     * @throws io.granary.common.GranaryException NOT_FOUND when the token is unknown, revoked or expired
     *                                            at {@code nowMs}; ALREADY_EXISTS when the access key id
     *                                            exists with another token or secret key
     * @param actor who asks, recorded in the audit log when a key is stored (not for the same key again)
     */
    S3KeyRecord save(S3KeyRecord key, String secretKey, long nowMs, Actor actor);

    /** The keys of {@code tokenId}, or every key when it is empty, in no particular order. */
    List<S3KeyRecord> list(String tokenId);

    /**
     * Deletes a key.
     *
     * @param ownerTokenId when not empty, the key is deleted only if it belongs to this token
     * @param actor        who asks, recorded in the audit log when a key is deleted
     * @return false when no key has this access key id
     * @throws io.granary.common.GranaryException PERMISSION_DENIED when it belongs to another token
     */
    boolean delete(String accessKeyId, String ownerTokenId, Actor actor);

    /** The key with its secret and its token's record, read together; empty when either is missing. */
    Optional<ResolvedS3Key> find(String accessKeyId);
}
