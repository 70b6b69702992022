package io.granary.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.client.S3Credential;
import io.granary.client.TokenMeta;
import io.granary.gateway.auth.CredentialCache.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class CredentialCacheTest {
    private static final String SHA = "ab".repeat(32);
    private static final String KEY_ID = "GK0123456789ABCDEF";

    private final SteppedTime time = new SteppedTime();
    private final Map<String, TokenMeta> tokens = new ConcurrentHashMap<>();
    private final Map<String, S3Credential> s3Keys = new ConcurrentHashMap<>();
    private final CredentialCache cache = new CredentialCache(sha -> Optional.ofNullable(tokens.get(sha)),
            id -> Optional.ofNullable(s3Keys.get(id)), CredentialCache.TTL, CredentialCache.MAX_ENTRIES, time,
            time::nanoTime);

    private TokenMeta token(Optional<Instant> expires) {
        return new TokenMeta("tok_0123456789abcdef", "ci", "writer", SteppedTime.START, expires);
    }

    @Test
    void aTokenIsAskedForOncePerSecond() {
        tokens.put(SHA, token(Optional.empty()));

        cache.token(SHA);
        time.advance(CredentialCache.TTL.minusNanos(1));
        cache.token(SHA);
        time.advance(Duration.ofNanos(1));
        cache.token(SHA);

        assertThat(cache.hits(Kind.TOKEN)).isEqualTo(1);
        assertThat(cache.misses(Kind.TOKEN)).isEqualTo(2);
        assertThat(cache.misses(Kind.S3_KEY)).isZero();
    }

    @Test
    void anS3KeyIsNotKeptPastItsTokensExpiry() {
        Instant expires = time.instant().plusMillis(100);
        s3Keys.put(KEY_ID, new S3Credential(KEY_ID, "secret-secret-secret", token(Optional.of(expires))));
        cache.s3Key(KEY_ID);
        s3Keys.remove(KEY_ID);

        time.advance(Duration.ofMillis(99));
        assertThat(cache.s3Key(KEY_ID)).isPresent();
        time.advance(Duration.ofMillis(1));
        assertThat(cache.s3Key(KEY_ID)).isEmpty();
    }

    @Test
    void invalidatingForgetsTokensAndS3KeysAlike() {
        tokens.put(SHA, token(Optional.empty()));
        s3Keys.put(KEY_ID, new S3Credential(KEY_ID, "secret-secret-secret", token(Optional.empty())));
        cache.token(SHA);
        cache.s3Key(KEY_ID);
        tokens.clear();
        s3Keys.clear();

        cache.invalidateAll();

        assertThat(cache.token(SHA)).isEmpty();
        assertThat(cache.s3Key(KEY_ID)).isEmpty();
        assertThat(cache.hits(Kind.TOKEN) + cache.hits(Kind.S3_KEY)).isZero();
    }
}
