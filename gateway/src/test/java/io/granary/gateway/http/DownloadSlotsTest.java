package io.granary.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.gateway.GatewayConfig;
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
    void theCapIsHalfTheRequestThreadsTheUploadsLeaveSoBothTogetherLeaveThreadsForEverythingElse() {
        int threads = GatewayConfig.DEFAULT_MAX_THREADS;
        int uploads = GatewayConfig.DEFAULT_MAX_UPLOADS;

        int downloads = DownloadSlots.forThreads(threads, uploads).max();

        assertThat(downloads).isEqualTo((threads - uploads) / 2);
        assertThat(threads - uploads - downloads).as("threads left for probes and metadata calls")
                .isGreaterThanOrEqualTo(downloads);
        assertThat(DownloadSlots.forThreads(threads, 1).max()).isEqualTo((threads - 1) / 2);
        assertThat(DownloadSlots.forThreads(threads, threads).max()).isEqualTo(1);
    }
}
