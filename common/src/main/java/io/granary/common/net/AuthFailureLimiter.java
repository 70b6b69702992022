package io.granary.common.net;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Limits failed authentications per client address with a token bucket: each address may fail
 * {@code burst} times, and earns one more try every {@code period / burst}. Only failures spend
 * tries; an address that has none left is refused before its credentials are even checked, so a
 * guesser learns nothing more until the bucket refills. Memory is bounded: an address whose bucket
 * has refilled is forgotten, and at most {@code maxTracked} addresses are remembered. Thread-safe.
 */
public final class AuthFailureLimiter {
    /** Failed authentications an address may make at once, on the gateway and the master alike. */
    public static final int DEFAULT_BURST = 20;
    /** The time in which {@link #DEFAULT_BURST} tries are earned back. */
    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);
    /** Client addresses remembered at most (a few MiB of heap). */
    public static final int DEFAULT_TRACKED_MAX = 100_000;

    private final int burst;
    private final long nanosPerTry;
    private final int maxTracked;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param burst      failures allowed at once; 0 turns the limit off
     * @param period     time in which {@code burst} tries are earned back
     * @param maxTracked addresses remembered at most
     * @param nanoTime   the monotonic clock ({@code System::nanoTime})
     */
    public AuthFailureLimiter(int burst, Duration period, int maxTracked, LongSupplier nanoTime) {
        if (burst < 0 || (burst > 0 && (period.isNegative() || period.isZero())) || maxTracked < 1) {
            throw new IllegalArgumentException("a failure limit needs burst >= 0, a positive period and maxTracked >= 1");
        }
        this.burst = burst;
        this.nanosPerTry = burst == 0 ? 0 : Math.max(1, period.toNanos() / burst);
        this.maxTracked = maxTracked;
        this.nanoTime = nanoTime;
    }

    /** The default limit ({@link #DEFAULT_BURST} failures earned back over {@link #DEFAULT_PERIOD}). */
    public static AuthFailureLimiter withDefaults() {
        return new AuthFailureLimiter(DEFAULT_BURST, DEFAULT_PERIOD, DEFAULT_TRACKED_MAX, System::nanoTime);
    }

    /** Whether the limit is on. */
    public boolean enabled() {
        return burst > 0;
    }

    /** How long {@code client} must wait before its next try, or {@link Duration#ZERO} if it may try now. */
    public Duration retryAfter(InetAddress client) {
        if (!enabled()) {
            return Duration.ZERO;
        }
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            return Duration.ZERO;
        }
        synchronized (bucket) {
            bucket.refill(nanoTime.getAsLong());
            return bucket.tries >= 1 ? Duration.ZERO : Duration.ofNanos(nanosPerTry - bucket.partialNanos);
        }
    }

    /** Spends one try of {@code client}. */
    public void recordFailure(InetAddress client) {
        if (!enabled()) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (buckets.size() >= maxTracked && !buckets.containsKey(client)) {
            forgetRefilled(now);
        }
        Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.refill(now);
            bucket.tries = Math.max(0, bucket.tries - 1);
        }
    }

    /** How many addresses are remembered. */
    public int tracked() {
        return buckets.size();
    }

    private void forgetRefilled(long now) {
        buckets.entrySet().removeIf(entry -> {
            Bucket bucket = entry.getValue();
            synchronized (bucket) {
                bucket.refill(now);
                return bucket.tries >= burst;
            }
        });
        if (buckets.size() >= maxTracked) {
            // Every remembered address is still failing: a flood from many addresses. Forgetting them
            // all keeps memory bounded; each can fail at most `burst` more times before it is caught again.
            buckets.clear();
        }
    }

    private final class Bucket {
        private int tries;
        private long lastNanos;
        private long partialNanos;

        Bucket(int tries, long now) {
            this.tries = tries;
            this.lastNanos = now;
        }

        void refill(long now) {
            long elapsed = now - lastNanos + partialNanos;
            lastNanos = now;
            long earned = elapsed / nanosPerTry;
            partialNanos = elapsed % nanosPerTry;
            if (earned > 0) {
                tries = (int) Math.min(burst, tries + earned);
            }
            if (tries >= burst) {
                partialNanos = 0;
            }
        }
    }
}
