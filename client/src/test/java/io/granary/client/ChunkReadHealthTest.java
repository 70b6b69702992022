package io.granary.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ChunkReadHealthTest {
    private final AtomicLong nanos = new AtomicLong();
    private final ChunkReadHealth health = new ChunkReadHealth(nanos::get);

    @Test
    void readsAreFailingAfterSeveralFailuresInARow() {
        for (int i = 1; i < ChunkReadHealth.FAILURES_IN_A_ROW; i++) {
            health.unavailable();
        }
        assertThat(health.failing()).isFalse();

        health.unavailable();

        assertThat(health.failing()).isTrue();
    }

    @Test
    void oneSuccessEndsTheRun() {
        for (int i = 0; i < ChunkReadHealth.FAILURES_IN_A_ROW; i++) {
            health.unavailable();
        }

        health.succeeded();

        assertThat(health.failing()).isFalse();
    }

    @Test
    void aRunIsForgottenOnceItsLatestFailureIsOlderThanTheWindow() {
        for (int i = 0; i < ChunkReadHealth.FAILURES_IN_A_ROW; i++) {
            health.unavailable();
        }
        nanos.addAndGet(ChunkReadHealth.WINDOW.plus(Duration.ofSeconds(1)).toNanos());

        assertThat(health.failing()).isFalse();
        health.unavailable();
        assertThat(health.failuresInARow()).isEqualTo(1);
    }
}
