package io.granary.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailureLimiterTest {
    private static final InetAddress A = Cidr.address("192.0.2.1");
    private static final InetAddress B = Cidr.address("192.0.2.2");
    private final AtomicLong now = new AtomicLong();
    private final AuthFailureLimiter limiter = new AuthFailureLimiter(20, Duration.ofMinutes(1), 3, now::get);

    @Test
    void anAddressIsStoppedAfterItsBurstAndOthersAreNot() {
        for (int i = 0; i < 19; i++) {
            limiter.recordFailure(A);
        }
        assertThat(limiter.retryAfter(A)).isZero();
        limiter.recordFailure(A);
        assertThat(limiter.retryAfter(A)).isEqualTo(Duration.ofSeconds(3));
        assertThat(limiter.retryAfter(B)).isZero();
    }

    @Test
    void triesComeBackWithTime() {
        for (int i = 0; i < 20; i++) {
            limiter.recordFailure(A);
        }
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(limiter.retryAfter(A)).isEqualTo(Duration.ofSeconds(1));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(limiter.retryAfter(A)).isZero();
        limiter.recordFailure(A);
        assertThat(limiter.retryAfter(A)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void memoryStaysBoundedUnderAFloodOfAddresses() {
        for (int i = 0; i < 1000; i++) {
            limiter.recordFailure(Cidr.address("198.51.100." + (i % 250)));
            assertThat(limiter.tracked()).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void refilledAddressesAreForgotten() {
        limiter.recordFailure(A);
        limiter.recordFailure(B);
        limiter.recordFailure(Cidr.address("192.0.2.3"));
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        limiter.recordFailure(Cidr.address("192.0.2.4"));
        assertThat(limiter.tracked()).isEqualTo(1);
    }

    @Test
    void zeroBurstTurnsTheLimitOff() {
        AuthFailureLimiter off = new AuthFailureLimiter(0, Duration.ofMinutes(1), 3, now::get);
        for (int i = 0; i < 100; i++) {
            off.recordFailure(A);
        }
        assertThat(off.retryAfter(A)).isZero();
        assertThat(off.tracked()).isZero();
    }
}
