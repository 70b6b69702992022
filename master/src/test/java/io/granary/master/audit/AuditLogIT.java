package io.granary.master.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.Actor;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.master.store.RedisMetadataStore;
import io.granary.master.testing.SharedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit log on a real Redis: a change is recorded if and only if it happened, and the log keeps at
 * most its maximum count and age (docs/architecture.md, invariants).
 */
class AuditLogIT {
    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("audit");

    static final Actor ALICE = new Actor("tok_alice", false, "203.0.113.7", "req-1");
    static final Actor BOB = new Actor("tok_bob", false, "203.0.113.8", "req-2");

    RedisMetadataStore store;
    AuditLog audit;

    @BeforeEach
    void setUp() {
        store = redis.store();
        store.initialize(System.currentTimeMillis());
        audit = new AuditLog(store.audit(), Duration.ofDays(30));
    }

    @Test
    void aChangeIsRecordedOnceWithItsActorAddressAndRequestId() {
        store.makeDirectory(GranaryPath.of("a/b"), ALICE, System.currentTimeMillis());

        List<AuditEntry> entries = audit.list(AuditQuery.newest(10)).entries();

        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("mkdir");
            assertThat(e.path()).isEqualTo("/a/b");
            assertThat(e.actor()).isEqualTo("tok_alice");
            assertThat(e.address()).isEqualTo("203.0.113.7");
            assertThat(e.requestId()).isEqualTo("req-1");
            assertThat(e.id()).startsWith(e.timeMs() + "-");
        });
    }

    @Test
    void aRefusedChangeIsNotRecorded() {
        store.makeDirectory(GranaryPath.of("alice"), ALICE, System.currentTimeMillis());

        assertKind(() -> store.deleteFile(GranaryPath.of("alice/missing.txt"), ALICE, System.currentTimeMillis()),
                ErrorKind.NOT_FOUND);
        assertKind(() -> store.deleteDirectory(GranaryPath.of("alice"), false, BOB, System.currentTimeMillis()),
                ErrorKind.PERMISSION_DENIED);
        store.makeDirectory(GranaryPath.of("alice"), ALICE, System.currentTimeMillis());

        assertThat(audit.list(AuditQuery.newest(10)).entries()).extracting(AuditEntry::action)
                .containsExactly("mkdir");
    }

    @Test
    void theLogKeepsAtMostItsMaximumCountDroppingTheOldest() {
        store.keepAudit(3);
        for (int i = 1; i <= 5; i++) {
            store.makeDirectory(GranaryPath.of("d" + i), ALICE, System.currentTimeMillis());
        }

        assertThat(audit.list(AuditQuery.newest(10)).entries()).extracting(AuditEntry::path)
                .containsExactly("/d5", "/d4", "/d3");
    }

    @Test
    void entriesOlderThanTheMaximumAgeAreTrimmedAndYoungerOnesKept() {
        // an entry stamped in 1970, written before any other so the stream's ids stay ordered
        try (RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().xadd(redis.prefix() + ":audit", new XAddArgs().id("1000-1"),
                    Map.of("action", "mkdir", "path", "/old", "actor", "", "address", "", "requestId", "",
                            "detail", ""));
        }
        store.makeDirectory(GranaryPath.of("new"), ALICE, System.currentTimeMillis());

        assertThat(audit.trim()).isEqualTo(1);

        assertThat(audit.list(AuditQuery.newest(10)).entries()).extracting(AuditEntry::path).containsExactly("/new");
    }

    @Test
    void filtersSelectAndPagesFollowTheCursorNewestFirst() {
        for (int i = 1; i <= 5; i++) {
            store.makeDirectory(GranaryPath.of("p/" + i), i % 2 == 0 ? BOB : ALICE, System.currentTimeMillis());
        }
        store.makeDirectory(GranaryPath.of("q"), ALICE, System.currentTimeMillis());

        AuditPage first = audit.list(new AuditQuery(0, 0, "tok_alice", "/p", "mkdir", "", 2));
        AuditPage second = audit.list(new AuditQuery(0, 0, "tok_alice", "/p", "mkdir", first.next(), 2));

        assertThat(first.entries()).extracting(AuditEntry::path).containsExactly("/p/5", "/p/3");
        assertThat(second.entries()).extracting(AuditEntry::path).containsExactly("/p/1");
        assertThat(second.next()).isEmpty();
    }

    private static void assertKind(Runnable call, ErrorKind kind) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(GranaryException.class,
                e -> assertThat(e.kind()).isEqualTo(kind));
    }
}
