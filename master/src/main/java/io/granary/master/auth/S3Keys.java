package io.granary.master.auth;

import io.granary.common.Actor;
import io.granary.common.GranaryException;
import io.granary.common.S3AccessKeys;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 credentials: creation (in the form of {@link S3AccessKeys}), listing, revocation and resolution.
 * A key belongs to a token, and a request signed with it acts exactly as that token: the key is only
 * another way to present the token's principal. Unlike a token's secret, the secret key is stored as
 * it is, because AWS Signature V4 is an HMAC keyed with it: whoever checks a signature needs the key
 * itself, not a hash of it. A key resolves only while its token is live: revoking the token deletes its
 * keys in the same atomic step, and resolution reads the key and its token together, so an expired
 * token's keys resolve to nothing either. Nothing is cached. Thread-safe.
 */
public final class S3Keys {
    private static final Logger log = LoggerFactory.getLogger(S3Keys.class);

    private final String nodeId;
    private final S3KeyStore store;
    private final Clock clock;

    public S3Keys(String nodeId, S3KeyStore store, Clock clock) {
        this.nodeId = nodeId;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Gives a live token an S3 key. Creating the same access key id with the same secret key for the
     * same token again answers the existing key, so a start-up that configures one may repeat it.
     *
     * @param accessKeyId the id to use; null or empty to generate one
     * @param secretKey   the secret key to use; null or empty to generate one
     * @throws GranaryException INVALID_ARGUMENT for a malformed id or secret key or no token id,
     *                          NOT_FOUND when the token is unknown, revoked or expired, ALREADY_EXISTS
     *                          when the access key id exists with another token or secret key
     */
    public IssuedS3Key create(String tokenId, String accessKeyId, String secretKey) {
        return create(tokenId, accessKeyId, secretKey, Actor.SYSTEM);
    }

    /**
     * {@link #create(String, String, String)} for {@code actor}, who the audit log names: a principal
     * other than an admin only for its own token, which a null or empty {@code tokenId} stands for.
     *
     * @throws GranaryException PERMISSION_DENIED when such a principal names another token
     */
    public IssuedS3Key create(String tokenId, String accessKeyId, String secretKey, Actor actor) {
        String owner = (tokenId == null || tokenId.isEmpty()) && !actor.isSystem() ? actor.id() : tokenId;
        if (owner == null || owner.isBlank()) {
            throw GranaryException.invalid("an S3 key needs the id of the token it acts as");
        }
        actor.requireOwnOrAdmin(owner, "create an S3 key for");
        String id = accessKeyId == null || accessKeyId.isEmpty() ? S3AccessKeys.newAccessKeyId() : accessKeyId;
        String secret = secretKey == null || secretKey.isEmpty() ? S3AccessKeys.newSecretKey() : secretKey;
        S3AccessKeys.checkAccessKeyId(id);
        S3AccessKeys.checkSecretKey(secret);
        long now = clock.millis();
        S3KeyRecord stored = store.save(new S3KeyRecord(id, owner, now), secret, now, actor);
        log.info("{}: S3 key {} belongs to token {}", nodeId, id, owner);
        return new IssuedS3Key(stored, secret);
    }

    /** The keys of {@code tokenId} (every key when null or empty), oldest first, without secrets. */
    public List<S3KeyRecord> list(String tokenId) {
        return list(tokenId, Actor.SYSTEM);
    }

    /**
     * {@link #list(String)} as {@code actor} asks it: a principal other than an admin sees only its own
     * token's keys, which a null or empty {@code tokenId} stands for.
     *
     * @throws GranaryException PERMISSION_DENIED when such a principal names another token
     */
    public List<S3KeyRecord> list(String tokenId, Actor actor) {
        String owner = tokenId == null || tokenId.isEmpty() ? (actor.admin() ? "" : actor.id()) : tokenId;
        actor.requireOwnOrAdmin(owner, "list the S3 keys of");
        return store.list(owner).stream()
                .sorted(Comparator.comparingLong(S3KeyRecord::createdMs).thenComparing(S3KeyRecord::accessKeyId))
                .toList();
    }

    /**
     * Deletes a key; its next request is refused.
     *
     * @param ownerTokenId when not null or empty, only a key of this token may be deleted
     * @throws GranaryException NOT_FOUND when no key has this id, PERMISSION_DENIED when it belongs to
     *                          another token than {@code ownerTokenId}
     */
    public void revoke(String accessKeyId, String ownerTokenId) {
        revoke(accessKeyId, ownerTokenId, Actor.SYSTEM);
    }

    /**
     * {@link #revoke(String, String)} for {@code actor}, who the audit log names: a principal other than
     * an admin only a key of its own token, whatever {@code ownerTokenId} says.
     */
    public void revoke(String accessKeyId, String ownerTokenId, Actor actor) {
        String owner = actor.admin() ? (ownerTokenId == null ? "" : ownerTokenId) : actor.id();
        if (!S3AccessKeys.isAccessKeyId(accessKeyId) || !store.delete(accessKeyId, owner, actor)) {
            throw GranaryException.notFound("no S3 key with access key id '" + accessKeyId + "'");
        }
        log.info("{}: revoked S3 key {}", nodeId, accessKeyId);
    }

    /**
     * The live key with this access key id, its secret key and its token; empty when the key is
     * unknown or revoked, or its token revoked or expired.
     */
    public Optional<ResolvedS3Key> resolve(String accessKeyId) {
        if (!S3AccessKeys.isAccessKeyId(accessKeyId)) {
            return Optional.empty();
        }
        return store.find(accessKeyId).filter(k -> !k.token().expiredAt(clock.millis()));
    }
}
