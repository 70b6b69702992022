package io.granary.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DownloadSlotsTest {
    private final AtomicLong nanos = new AtomicLong();
    private final DownloadSlots slots = new DownloadSlots(2, nanos::get);

    @Test
    void refusesADownloadBeyondTheCapUntilOneEnds() {
        assertThat(slots.tryAcquire()).isTrue();
        assertThat(slots.tryAcquire()).isTrue();
        assertThat(slots.tryAcquire()).isFalse();

        slots.release();

        assertThat(slots.tryAcquire()).isTrue();
    }

    @Test
    void saysHowLongEverySlotHasBeenTakenAndForgetsItOnceOneIsFree() {
        slots.tryAcquire();
        assertThat(slots.fullFor()).isZero();
        slots.tryAcquire();
        nanos.addAndGet(Duration.ofSeconds(12).toNanos());

        assertThat(slots.fullFor()).isEqualTo(Duration.ofSeconds(12));

        slots.release();
        assertThat(slots.fullFor()).isZero();
    }

    @Test
    void theCapIsHalfTheRequestThreadsSoTheRestServeEverythingElse() {
        assertThat(DownloadSlots.forThreads(GatewayConfig.DEFAULT_MAX_THREADS).max())
                .isEqualTo(GatewayConfig.DEFAULT_MAX_THREADS / 2);
        assertThat(DownloadSlots.forThreads(1).max()).isEqualTo(1);
    }
}
