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
        assertThat(DEFAULTS.toBuilder().port(0).heartbeatInterval(Duration.ofMillis(200)).deadAfter(Duration.ofSeconds(1))
                .build().deadAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "100       | chunk size 100B is too small: at least 64KiB",
        "2147483648| chunk size 2GiB is too large: at most 1GiB",
        "100000    | chunk size 100000B is not a multiple of 64KiB",
    })
    void rejectsChunkSizesOutsideTheRulesWithAClearMessage(long bytes, String message) {
        assertThatThrownBy(() -> DEFAULTS.toBuilder().defaultChunkSizeBytes(bytes).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void acceptsChunkSizesOnTheLimits() {
        assertThat(DEFAULTS.toBuilder().defaultChunkSizeBytes(64 * ByteSize.KIB).build().defaultChunkSizeBytes()).isEqualTo(65536);
        assertThat(DEFAULTS.toBuilder().defaultChunkSizeBytes(ByteSize.GIB).build().defaultChunkSizeBytes()).isEqualTo(ByteSize.GIB);
    }

    @Test
    void rejectsOtherNonsenseWithAClearMessage() {
        assertThatThrownBy(() -> DEFAULTS.toBuilder().defaultReplication(0).build()).hasMessage("replication 0 is not between 1 and 16");
        assertThatThrownBy(() -> DEFAULTS.toBuilder().defaultReplication(17).build()).hasMessage("replication 17 is not between 1 and 16");
        assertThatThrownBy(() -> DEFAULTS.toBuilder().heartbeatInterval(Duration.ofSeconds(5)).deadAfter(Duration.ofSeconds(5)).build())
                .hasMessageContaining("must be longer than the heartbeat interval");
        assertThatThrownBy(() -> DEFAULTS.toBuilder().keyPrefix("granary").build()).hasMessageContaining("hash tag");
        assertThatThrownBy(() -> DEFAULTS.toBuilder().port(70_000).build()).hasMessageContaining("not between 0 and 65535");
        assertThatThrownBy(() -> DEFAULTS.toBuilder().redisUri(" ").build()).hasMessageContaining("Redis URI is required");
        assertThatThrownBy(() -> DEFAULTS.toBuilder().fullReportEvery(0).build()).hasMessageContaining("at least 1");
    }

    @Test
    void rejectsHighAvailabilitySettingsThatCannotWork() {
        assertThatThrownBy(() -> DEFAULTS.toBuilder().leaseTtl(Duration.ofMillis(500)).build())
                .hasMessage("lease ttl PT0.5S is shorter than PT1S");
        assertThatThrownBy(() -> DEFAULTS.toBuilder().advertise("no-port").build())
                .hasMessage("advertised address 'no-port' is not host:port");
        assertThatThrownBy(() -> DEFAULTS.toBuilder().redisWaitReplicas(-1).build()).hasMessageContaining("negative");
        assertThatThrownBy(() -> DEFAULTS.toBuilder().redisWaitReplicas(1).redisWaitTimeout(Duration.ofSeconds(2))
                .redisTimeout(Duration.ofSeconds(2)).build())
                .hasMessageContaining("must be shorter than the redis timeout");
        assertThat(DEFAULTS.toBuilder().advertise("[::1]:7070").redisWaitReplicas(1).build().advertise())
                .isEqualTo("[::1]:7070");
        assertThat(DEFAULTS.toBuilder().redisTimeout(Duration.ofMillis(500)).build().redisWaitReplicas())
                .as("the wait timeout matters only when waiting").isZero();
    }

    @Test
    void logLineMasksTheRedisPassword() {
        assertThat(DEFAULTS.toBuilder().redisUri("redis://:secret@db:6379").build().toString())
                .contains("redis://***@db:6379")
                .doesNotContain("secret");
    }

    @Test
    void aConfiguredAdminTokenTooShortToBeSafeIsRefusedBeforeTheMasterStarts() {
        assertThatThrownBy(() -> DEFAULTS.toBuilder().adminToken("short-admin-token").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("admin token must be 32");
        assertThat(DEFAULTS.toBuilder().adminToken("a".repeat(32)).build().adminToken()).hasSize(32);
    }
}
