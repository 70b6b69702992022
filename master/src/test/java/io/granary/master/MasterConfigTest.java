package io.granary.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ByteSize;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MasterConfigTest {
    private static final MasterConfig DEFAULTS = MasterConfig.defaults("redis://127.0.0.1:6379");

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(DEFAULTS.defaultChunkSizeBytes()).isEqualTo(64 * ByteSize.MIB);
        assertThat(DEFAULTS.defaultReplication()).isEqualTo(3);
        assertThat(DEFAULTS.heartbeatInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(DEFAULTS.deadAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(DEFAULTS.keyPrefix()).isEqualTo("{granary}");
        assertThat(DEFAULTS.withPort(0).withHeartbeat(Duration.ofMillis(200), Duration.ofSeconds(1)).deadAfter())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "100       | chunk size 100B is too small: at least 64KiB",
        "2147483648| chunk size 2GiB is too large: at most 1GiB",
        "100000    | chunk size 100000B is not a multiple of 64KiB",
    })
    void rejectsChunkSizesOutsideTheRulesWithAClearMessage(long bytes, String message) {
        assertThatThrownBy(() -> DEFAULTS.withDefaultChunkSizeBytes(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void acceptsChunkSizesOnTheLimits() {
        assertThat(DEFAULTS.withDefaultChunkSizeBytes(64 * ByteSize.KIB).defaultChunkSizeBytes()).isEqualTo(65536);
        assertThat(DEFAULTS.withDefaultChunkSizeBytes(ByteSize.GIB).defaultChunkSizeBytes()).isEqualTo(ByteSize.GIB);
    }

    @Test
    void rejectsOtherNonsenseWithAClearMessage() {
        assertThatThrownBy(() -> DEFAULTS.withDefaultReplication(0)).hasMessage("replication 0 is not between 1 and 16");
        assertThatThrownBy(() -> DEFAULTS.withDefaultReplication(17)).hasMessage("replication 17 is not between 1 and 16");
        assertThatThrownBy(() -> DEFAULTS.withHeartbeat(Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .hasMessageContaining("must be longer than the heartbeat interval");
        assertThatThrownBy(() -> DEFAULTS.withKeyPrefix("granary")).hasMessageContaining("hash tag");
        assertThatThrownBy(() -> DEFAULTS.withPort(70_000)).hasMessageContaining("not between 0 and 65535");
        assertThatThrownBy(() -> DEFAULTS.withRedisUri(" ")).hasMessageContaining("Redis URI is required");
        assertThatThrownBy(() -> DEFAULTS.withFullReportEvery(0)).hasMessageContaining("at least 1");
    }

    @Test
    void logLineMasksTheRedisPassword() {
        assertThat(DEFAULTS.withRedisUri("redis://:secret@db:6379").toString())
                .contains("redis://***@db:6379")
                .doesNotContain("secret");
    }
}
