package io.granary.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShortLivedCacheTest {
    private static final Duration TTL = Duration.ofSeconds(1);
    private static final Duration A_NANO = Duration.ofNanos(1);

    /** What the authoritative store holds: a value and, when it has one, the instant it ends. */
    record Held(String value, Optional<Instant> ends) {
    }

    private final SteppedTime time = new SteppedTime();
    private final Map<String, Held> store = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThePool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private ShortLivedCache<String, Held> cache(int maxEntries) {
        return new ShortLivedCache<>(key -> {
            lookups.incrementAndGet();
            return Optional.ofNullable(store.get(key));
        }, Held::ends, TTL, maxEntries, time, time::nanoTime);
    }

    private void hold(String key, String value) {
        store.put(key, new Held(value, Optional.empty()));
    }

    @Test
    void aFoundAnswerIsKeptForTheTtlWithoutAskingAgain() {
        ShortLivedCache<String, Held> cache = cache(10);
        hold("k", "v");

        assertThat(cache.get("k")).map(Held::value).hasValue("v");
        store.remove("k");
        time.advance(TTL.minus(A_NANO));

        assertThat(cache.get("k")).map(Held::value).hasValue("v");
        assertThat(lookups).hasValue(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void onceTheTtlHasPassedTheLookupIsAskedAgain() {
        ShortLivedCache<String, Held> cache = cache(10);
        hold("k", "v");
        cache.get("k");
        store.remove("k");

        time.advance(TTL);

        assertThat(cache.get("k")).isEmpty();
        assertThat(lookups).hasValue(2);
        assertThat(cache.misses()).isEqualTo(2);
    }

    @Test
    void anAnswerIsNeverKeptPastItsOwnEnd() {
        ShortLivedCache<String, Held> cache = cache(10);
        Duration lifetime = Duration.ofMillis(300);
        store.put("k", new Held("v", Optional.of(time.instant().plus(lifetime))));
        cache.get("k");

        time.advance(lifetime.minus(A_NANO));
        assertThat(cache.get("k")).isPresent();
        assertThat(lookups).hasValue(1);

        time.advance(A_NANO);
        cache.get("k");
        assertThat(lookups).hasValue(2);
    }

    @Test
    void anAnswerThatHasAlreadyEndedIsAskedForEveryTime() {
        ShortLivedCache<String, Held> cache = cache(10);
        store.put("k", new Held("v", Optional.of(time.instant())));

        cache.get("k");
        cache.get("k");

        assertThat(lookups).hasValue(2);
    }

    @Test
    void anUnknownKeyIsNeverKept() {
        ShortLivedCache<String, Held> cache = cache(10);

        assertThat(cache.get("nobody")).isEmpty();
        assertThat(cache.get("nobody")).isEmpty();

        assertThat(lookups).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aFailedLookupReachesTheCallerAndIsNotKept() {
        ShortLivedCache<String, Held> cache = new ShortLivedCache<>(key -> {
            lookups.incrementAndGet();
            throw new GranaryException(ErrorKind.UNAVAILABLE, "the master is away");
        }, Held::ends, TTL, 10, time, time::nanoTime);

        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(GranaryException.class).hasMessageContaining("away");
        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(GranaryException.class);

        assertThat(lookups).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void beyondItsBoundFreshAnswersAreGivenButNotKept() {
        ShortLivedCache<String, Held> cache = cache(3);
        for (int i = 0; i < 10; i++) {
            hold("k" + i, "v" + i);
        }

        for (int i = 0; i < 10; i++) {
            assertThat(cache.get("k" + i)).map(Held::value).hasValue("v" + i);
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
        cache.get("k9");

        assertThat(lookups).as("k9 was not kept").hasValue(11);
    }

    @Test
    void atItsBoundAnswersNoLongerFreshMakeRoom() {
        ShortLivedCache<String, Held> cache = cache(3);
        for (int i = 0; i < 4; i++) {
            hold("k" + i, "v" + i);
        }
        cache.get("k0");
        cache.get("k1");
        cache.get("k2");

        time.advance(TTL);
        cache.get("k3");
        cache.get("k3");

        assertThat(cache.size()).isEqualTo(1);
        assertThat(lookups).as("k3 was kept").hasValue(4);
    }

    @Test
    void clearForgetsEveryAnswer() {
        ShortLivedCache<String, Held> cache = cache(10);
        hold("k", "v");
        cache.get("k");
        store.remove("k");

        cache.clear();

        assertThat(cache.get("k")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void requestsForAKeyWhoseLookupRunsWaitForItInsteadOfAskingAgain() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        ShortLivedCache<String, Held> cache = new ShortLivedCache<>(key -> {
            lookups.incrementAndGet();
            asked.countDown();
            awaitUninterruptibly(answer);
            return Optional.of(new Held("v", Optional.empty()));
        }, Held::ends, TTL, 10, time, time::nanoTime);

        Future<Optional<Held>> first = pool.submit(() -> cache.get("k"));
        assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
        Future<Optional<Held>> second = pool.submit(() -> cache.get("k"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.hits() == 1);
        answer.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).map(Held::value).hasValue("v");
        assertThat(second.get(10, TimeUnit.SECONDS)).map(Held::value).hasValue("v");
        assertThat(lookups).hasValue(1);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
