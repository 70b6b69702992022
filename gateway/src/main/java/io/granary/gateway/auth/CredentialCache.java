package io.granary.gateway.auth;

import io.granary.client.GranaryClient;
import io.granary.client.S3Credential;
import io.granary.client.TokenMeta;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The gateway's short memory of the master's answers about credentials: which live token has a given
 * SHA-256, and which live S3 key has a given access key id. Each found answer is kept for at most
 * {@link #TTL} and never past its token's expiry, so a revocation made anywhere is refused by this
 * gateway within {@link #TTL}; a revocation made through this gateway calls {@link #invalidateAll()}
 * and is refused at once. Unknown, revoked and expired credentials are never kept (failures are
 * limited by {@link AuthThrottle}), and each kind holds at most {@link #MAX_ENTRIES} keys, so a flood
 * of made-up credentials cannot grow it. One instance serves both of the gateway's ports. Thread-safe.
 */
public final class CredentialCache {
    /** The longest a found answer is kept: how long a revocation made elsewhere may go unnoticed here. */
    public static final Duration TTL = Duration.ofSeconds(1);
    /** The most tokens, and the most S3 keys, kept at once. */
    public static final int MAX_ENTRIES = 10_000;

    /** What is looked up; its wire name tags the cache's metrics. */
    public enum Kind {
        TOKEN("token"),
        S3_KEY("s3_key");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The value of the metrics' {@code credential} tag. */
        public String wireName() {
            return wireName;
        }
    }

    private final ShortLivedCache<String, TokenMeta> tokens;
    private final ShortLivedCache<String, S3Credential> s3Keys;

    /**
     * @param tokens   the master's live token by SHA-256
     * @param s3Keys   the master's live S3 key by access key id
     * @param ttl      the longest a found answer is kept
     * @param maxEntries the most keys of each kind kept at once
     * @param clock    the wall clock token expiries are compared with
     * @param nanoTime the monotonic clock {@link #TTL} is counted on, as {@link System#nanoTime()}
     */
    CredentialCache(Function<String, Optional<TokenMeta>> tokens, Function<String, Optional<S3Credential>> s3Keys,
                    Duration ttl, int maxEntries, Clock clock, LongSupplier nanoTime) {
        this.tokens = new ShortLivedCache<>(tokens, TokenMeta::expires, ttl, maxEntries, clock, nanoTime);
        this.s3Keys = new ShortLivedCache<>(s3Keys, key -> key.token().expires(), ttl, maxEntries, clock, nanoTime);
    }

    /** A cache of {@code client}'s master, keeping answers {@link #TTL} on the system clocks. */
    public static CredentialCache of(GranaryClient client) {
        return new CredentialCache(client::resolveToken, accessKeyId -> client.s3Keys().resolve(accessKeyId),
                TTL, MAX_ENTRIES, Clock.systemUTC(), System::nanoTime);
    }

    /**
     * The live token whose secret has this lower-case hex SHA-256, as {@link GranaryClient#resolveToken};
     * empty when it is unknown, revoked or expired.
     *
     * @throws io.granary.common.GranaryException UNAVAILABLE when the master cannot be asked
     */
    public Optional<TokenMeta> token(String tokenSha256) {
        return tokens.get(tokenSha256);
    }

    /**
     * The live S3 key with this access key id, with its secret key and token, as
     * {@link io.granary.client.S3KeyClient#resolve}; empty when it or its token is revoked or unknown,
     * or its token expired.
     *
     * @throws io.granary.common.GranaryException UNAVAILABLE when the master cannot be asked
     */
    public Optional<S3Credential> s3Key(String accessKeyId) {
        return s3Keys.get(accessKeyId);
    }

    /**
     * Forgets every kept answer, tokens and S3 keys alike: called after a revocation through this
     * gateway, so that the revoked token, its S3 keys, or the revoked key are refused at their next
     * request here.
     */
    public void invalidateAll() {
        tokens.clear();
        s3Keys.clear();
    }

    /** Requests of this kind answered without asking the master. */
    public long hits(Kind kind) {
        return cache(kind).hits();
    }

    /** Requests of this kind that asked the master. */
    public long misses(Kind kind) {
        return cache(kind).misses();
    }

    private ShortLivedCache<String, ?> cache(Kind kind) {
        return kind == Kind.TOKEN ? tokens : s3Keys;
    }
}
