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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** S3 keys on a real Redis: a key acts as its token, lives only as long as it, and is never taken over. */
class S3KeysIT {
    private static final String ACCESS_KEY = "LOCALTESTKEY0001";
    private static final String SECRET_KEY = "chosen/secret+key-0123456789";

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("s3k");

    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    RedisMetadataStore store;
    Tokens tokens;
    S3Keys keys;
    TokenRecord writer;

    @BeforeEach
    void setUp() {
        store = redis.store();
        tokens = new Tokens("test", store.tokens(), clock);
        keys = new S3Keys("test", store.s3Keys(), clock);
        writer = tokens.create("ci", "writer", Duration.ZERO).record();
    }

    @Test
    void aGeneratedKeyHasTheFormOfAnAwsKeyAndResolvesToItsSecretAndItsTokensPrincipal() {
        IssuedS3Key issued = keys.create(writer.id(), null, null);

        assertThat(issued.record().accessKeyId()).matches("GK[A-Z0-9]{18}");
        assertThat(issued.secretKey()).matches("[A-Za-z0-9/+]{40}");
        assertThat(issued.record().tokenId()).isEqualTo(writer.id());
        assertThat(issued.record().createdMs()).isEqualTo(clock.millis());
        ResolvedS3Key resolved = keys.resolve(issued.record().accessKeyId()).orElseThrow();
        assertThat(resolved.secretKey()).isEqualTo(issued.secretKey());
        assertThat(resolved.token()).isEqualTo(writer);
        assertThat(resolved.key()).isEqualTo(issued.record());
    }

    @Test
    void theSecretKeyIsInNoListingAndInNoToString() {
        IssuedS3Key issued = keys.create(writer.id(), null, null);

        assertThat(keys.list("")).containsExactly(issued.record());
        assertThat(keys.list(writer.id())).containsExactly(issued.record());
        assertThat(keys.list(writer.id()).toString()).doesNotContain(issued.secretKey());
        assertThat(issued.toString()).doesNotContain(issued.secretKey());
        assertThat(keys.resolve(issued.record().accessKeyId()).orElseThrow().toString())
                .doesNotContain(issued.secretKey());
    }

    @Test
    void listingOneTokenShowsOnlyItsKeysOldestFirst() {
        TokenRecord reader = tokens.create("viewer", "reader", Duration.ZERO).record();
        IssuedS3Key first = keys.create(writer.id(), null, null);
        clock.advance(Duration.ofSeconds(1));
        IssuedS3Key other = keys.create(reader.id(), null, null);
        clock.advance(Duration.ofSeconds(1));
        IssuedS3Key second = keys.create(writer.id(), null, null);

        assertThat(keys.list(writer.id())).containsExactly(first.record(), second.record());
        assertThat(keys.list(reader.id())).containsExactly(other.record());
        assertThat(keys.list("")).containsExactly(first.record(), other.record(), second.record());
    }

    @Test
    void creatingTheSameChosenPairForTheSameTokenAgainAnswersTheExistingKey() {
        IssuedS3Key first = keys.create(writer.id(), ACCESS_KEY, SECRET_KEY);
        clock.advance(Duration.ofMinutes(5));

        IssuedS3Key again = keys.create(writer.id(), ACCESS_KEY, SECRET_KEY);

        assertThat(again).isEqualTo(first);
        assertThat(keys.list("")).containsExactly(first.record());
        assertThat(keys.resolve(ACCESS_KEY).orElseThrow().secretKey()).isEqualTo(SECRET_KEY);
    }

    @Test
    void anAccessKeyIdIsNeverTakenOverByAnotherTokenOrAnotherSecret() {
        TokenRecord other = tokens.create("other", "admin", Duration.ZERO).record();
        keys.create(writer.id(), ACCESS_KEY, SECRET_KEY);

        assertThatThrownBy(() -> keys.create(other.id(), ACCESS_KEY, SECRET_KEY))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS));
        assertThatThrownBy(() -> keys.create(writer.id(), ACCESS_KEY, SECRET_KEY + "x"))
                .isInstanceOfSatisfying(GranaryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.ALREADY_EXISTS);
                    assertThat(e.getMessage()).doesNotContain(SECRET_KEY);
                });
        ResolvedS3Key kept = keys.resolve(ACCESS_KEY).orElseThrow();
        assertThat(kept.token()).isEqualTo(writer);
        assertThat(kept.secretKey()).isEqualTo(SECRET_KEY);
    }

    @ParameterizedTest(name = "[{0}] [{1}]")
    @CsvSource({
        "SHORTKEY, " + SECRET_KEY,
        "HAS-A-DASH-0123456789, " + SECRET_KEY,
        ACCESS_KEY + ", short",
        ACCESS_KEY + ", 'has a space in it 0123456789'",
        ACCESS_KEY + ", 'non-ascii-é-0123456789'"})
    void aMalformedChosenKeyIsInvalidArgumentAndStoresNothing(String accessKeyId, String secretKey) {
        assertThatThrownBy(() -> keys.create(writer.id(), accessKeyId, secretKey))
                .isInstanceOfSatisfying(GranaryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).doesNotContain(secretKey);
                });
        assertThat(keys.list("")).isEmpty();
    }

    @Test
    void aKeyForAnUnknownRevokedOrExpiredTokenIsNotFound() {
        TokenRecord revoked = tokens.create("gone", "reader", Duration.ZERO).record();
        tokens.revoke(revoked.id());
        TokenRecord expiring = tokens.create("short", "reader", Duration.ofSeconds(60)).record();
        clock.advance(Duration.ofSeconds(60));

        for (String tokenId : List.of("tok_0000000000000000", revoked.id(), expiring.id())) {
            assertThatThrownBy(() -> keys.create(tokenId, null, null)).as(tokenId)
                    .isInstanceOfSatisfying(GranaryException.class,
                            e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        }
        assertThatThrownBy(() -> keys.create("", null, null)).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThat(keys.list("")).isEmpty();
    }

    @Test
    void revokingTheTokenDeletesItsKeysAtOnceAndLeavesOthersAlone() {
        TokenRecord other = tokens.create("other", "reader", Duration.ZERO).record();
        IssuedS3Key mine = keys.create(writer.id(), null, null);
        IssuedS3Key chosen = keys.create(writer.id(), ACCESS_KEY, SECRET_KEY);
        IssuedS3Key theirs = keys.create(other.id(), null, null);

        tokens.revoke(writer.id());

        assertThat(keys.resolve(mine.record().accessKeyId())).isEmpty();
        assertThat(keys.resolve(ACCESS_KEY)).isEmpty();
        assertThat(keys.list("")).containsExactly(theirs.record());
        assertThat(keys.resolve(theirs.record().accessKeyId())).isPresent();
        assertThat(redisKeys()).noneMatch(k -> k.contains(mine.record().accessKeyId())
                || k.contains(chosen.record().accessKeyId()) || k.contains(writer.id()));
    }

    @Test
    void theKeysOfAnExpiredTokenResolveToNothing() {
        TokenRecord expiring = tokens.create("short", "writer", Duration.ofSeconds(60)).record();
        IssuedS3Key issued = keys.create(expiring.id(), null, null);
        assertThat(keys.resolve(issued.record().accessKeyId())).isPresent();

        clock.advance(Duration.ofSeconds(60));

        assertThat(keys.resolve(issued.record().accessKeyId())).isEmpty();
    }

    @Test
    void aRevokedKeyResolvesToNothingAtOnceAndRevokingItAgainIsNotFound() {
        IssuedS3Key issued = keys.create(writer.id(), null, null);
        String id = issued.record().accessKeyId();

        keys.revoke(id, "");

        assertThat(keys.resolve(id)).isEmpty();
        assertThat(keys.list("")).isEmpty();
        assertThatThrownBy(() -> keys.revoke(id, "")).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> keys.revoke("not:a key", "")).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(keys.resolve("not:a key")).isEmpty();
    }

    @Test
    void aKeyRevokedForAnOwnerItDoesNotBelongToIsPermissionDeniedAndStaysValid() {
        TokenRecord other = tokens.create("other", "writer", Duration.ZERO).record();
        IssuedS3Key issued = keys.create(writer.id(), null, null);
        String id = issued.record().accessKeyId();

        assertThatThrownBy(() -> keys.revoke(id, other.id())).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED));
        assertThat(keys.resolve(id)).isPresent();

        keys.revoke(id, writer.id());
        assertThat(keys.resolve(id)).isEmpty();
    }

    @Test
    void theFirstAdminTokenHoldsAKeyThatActsAsAnAdmin() {
        String adminSecret = tokens.ensureAdmin("").orElseThrow();
        TokenRecord admin = tokens.resolve(Tokens.sha256(adminSecret)).orElseThrow();

        keys.create(admin.id(), ACCESS_KEY, SECRET_KEY);

        assertThat(admin.name()).isEqualTo(Tokens.FIRST_ADMIN_NAME);
        assertThat(keys.resolve(ACCESS_KEY).orElseThrow().token().role()).isEqualTo(Tokens.ADMIN);
    }

    /** Every key of this test's prefix. */
    private List<String> redisKeys() {
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().keys(redis.prefix() + "*");
        } finally {
            client.shutdown();
        }
    }
}
