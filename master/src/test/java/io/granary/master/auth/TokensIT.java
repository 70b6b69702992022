package io.granary.master.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.master.store.RedisMetadataStore;
import io.granary.master.testing.MutableClock;
import io.granary.master.testing.SharedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tokens on a real Redis: only hashes stored, revocation, expiry, the first admin. */
class TokensIT {
    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("tok");

    RedisMetadataStore store;
    String prefix;
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Tokens tokens;

    @BeforeEach
    void setUp() {
        store = redis.store();
        prefix = redis.prefix();
        tokens = new Tokens("test", store.tokens(), clock);
    }

    @Test
    void aTokenIsStoredOnlyAsItsHashAndResolvesToItsPrincipal() {
        IssuedToken issued = tokens.create("ci", "writer", Duration.ZERO);

        assertThat(issued.secret()).startsWith("gr_").hasSize(3 + 43);
        assertThat(tokens.resolve(Tokens.sha256(issued.secret()))).hasValue(issued.record());
        assertThat(redisDump()).doesNotContain(issued.secret()).contains(Tokens.sha256(issued.secret()));
        assertThat(tokens.list()).containsExactly(issued.record());
    }

    @Test
    void aRevokedTokenResolvesToNothingAtOnce() {
        IssuedToken issued = tokens.create("ci", "reader", Duration.ZERO);

        tokens.revoke(issued.record().id());

        assertThat(tokens.resolve(Tokens.sha256(issued.secret()))).isEmpty();
        assertThat(tokens.list()).isEmpty();
        assertThatThrownBy(() -> tokens.revoke(issued.record().id())).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void anExpiredTokenIsRefused() {
        IssuedToken issued = tokens.create("short", "reader", Duration.ofSeconds(60));
        assertThat(tokens.resolve(Tokens.sha256(issued.secret()))).isPresent();

        clock.advance(Duration.ofSeconds(60));

        assertThat(tokens.resolve(Tokens.sha256(issued.secret()))).isEmpty();
    }

    @Test
    void badNamesAndRolesAreRefused() {
        assertThatThrownBy(() -> tokens.create("x", "root", Duration.ZERO)).isInstanceOf(GranaryException.class);
        assertThatThrownBy(() -> tokens.create("", "reader", Duration.ZERO)).isInstanceOf(GranaryException.class);
        assertThatThrownBy(() -> tokens.create("a\nb", "reader", Duration.ZERO)).isInstanceOf(GranaryException.class);
        assertThat(tokens.list()).isEmpty();
    }

    @Test
    void theFirstAdminTokenIsGeneratedOnceOrTakenFromTheConfiguration() {
        Optional<String> first = tokens.ensureAdmin("");
        assertThat(first).isPresent();
        assertThat(tokens.ensureAdmin("")).as("a second start prints nothing").isEmpty();
        assertThat(tokens.resolve(Tokens.sha256(first.get())).map(TokenRecord::role)).hasValue("admin");

        String configured = "my-own-admin-token-0123456789abcdef";
        assertThat(tokens.ensureAdmin(configured)).isEmpty();
        assertThat(tokens.ensureAdmin(configured)).isEmpty();
        assertThat(tokens.resolve(Tokens.sha256(configured)).map(TokenRecord::role)).hasValue("admin");
        assertThat(tokens.list()).hasSize(2);
        assertThatThrownBy(() -> tokens.ensureAdmin("short")).isInstanceOf(IllegalArgumentException.class);
    }

    private String redisDump() {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            StringBuilder all = new StringBuilder();
            for (String k : c.sync().keys(prefix + "*")) {
                all.append(k).append(' ');
                if (c.sync().type(k).equals("hash")) {
                    all.append(c.sync().hgetall(k)).append(' ');
                }
            }
            return all.toString();
        } finally {
            client.shutdown();
        }
    }
}
