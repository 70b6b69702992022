package io.granary.master.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.master.MasterConfig;
import io.granary.master.MasterServer;
import io.granary.master.testing.RawRedis;
import io.granary.master.testing.SharedRedis;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The version of the key schema kept in Redis, and a master's refusal of a namespace newer than it. */
class SchemaVersionIT {
    @RegisterExtension
    static final SharedRedis redis = new SharedRedis("schema");

    private static final String NEWER = "the namespace in Redis has schema version 2, written by a newer Granary; "
            + "this master understands up to version 1";

    private RawRedis raw;

    @BeforeEach
    void connect() {
        raw = RawRedis.connect(redis.uri());
    }

    @AfterEach
    void disconnect() {
        raw.close();
    }

    @Test
    void aFreshNamespaceIsWrittenWithTheSchemaVersionOfThisBuild() {
        RedisMetadataStore store = redis.store();

        store.initialize(1_000);

        assertThat(raw.commands().get(redis.prefix() + ":schema"))
                .isEqualTo(Integer.toString(RedisMetadataStore.SCHEMA_VERSION)).isEqualTo("1");
    }

    @Test
    void aNamespaceWrittenBeforeTheSchemaKeyExistedIsKeptAndGetsVersionOne() {
        RedisMetadataStore store = redis.store();
        store.initialize(1_000);
        raw.commands().del(redis.prefix() + ":schema");

        store.initialize(2_000);

        assertThat(raw.commands().get(redis.prefix() + ":schema")).isEqualTo("1");
        assertThat(raw.commands().hget(redis.prefix() + ":inode:1", "created")).isEqualTo("1000");
    }

    @Test
    void aStoreRefusesANamespaceOfANewerSchemaAndChangesNothing() {
        RedisMetadataStore store = redis.store();
        raw.commands().set(redis.prefix() + ":schema", "2");

        assertThatThrownBy(() -> store.initialize(1_000))
                .isInstanceOfSatisfying(GranaryException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION))
                .hasMessage(NEWER);
        assertThat(raw.keys(redis.prefix())).containsExactly(redis.prefix() + ":schema");
        assertThat(raw.commands().get(redis.prefix() + ":schema")).isEqualTo("2");
    }

    @Test
    void aMasterOnANamespaceOfANewerSchemaNeverBecomesActiveNorWritesTheNamespace() {
        String prefix = redis.newPrefix();
        raw.commands().set(prefix + ":schema", "2");

        try (MasterServer master = new MasterServer(MasterConfig.builder(redis.uri()).port(0).keyPrefix(prefix).build(),
                ClusterSecurity.none())) {
            master.start();

            assertThat(master.active()).isFalse();
            assertThat(raw.keys(prefix)).doesNotContain(prefix + ":inode:1", prefix + ":counter:inode")
                    .allMatch(key -> List.of(prefix + ":schema", prefix + ":master:epoch", prefix + ":master:lease")
                            .contains(key));
        }
    }
}
