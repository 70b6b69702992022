package io.granary.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The found answers of a lookup, each kept for at most a time to live counted on a monotonic clock from
 * when it was asked, and never past the instant the answer itself says it ends (on the wall clock). An
 * empty answer or a failure is never kept, so keys nobody holds cannot fill it; past {@code maxEntries}
 * keys, answers that are still fresh are not kept either and each such request asks alone. Requests for
 * one key while its lookup runs wait for that lookup instead of asking again. Thread-safe.
 *
 * @param <K> what is looked up
 * @param <V> what is found
 */
final class ShortLivedCache<K, V> {
    private final Function<K, Optional<V>> lookup;
    private final Function<V, Optional<Instant>> endsAt;
    private final long ttlNanos;
    private final int maxEntries;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<K, Entry> entries = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * @param lookup     the authoritative answer for a key; empty when there is none. Its exceptions reach
     *                   the caller, and every request waiting for the same lookup
     * @param endsAt     when a found answer stops being valid by itself (a token's expiry); empty: never
     * @param ttl        the longest an answer is kept
     * @param maxEntries the most keys held at once
     * @param clock      the wall clock {@code endsAt} is compared with
     * @param nanoTime   the monotonic clock the time to live is counted on, as {@link System#nanoTime()}
     */
    ShortLivedCache(Function<K, Optional<V>> lookup, Function<V, Optional<Instant>> endsAt, Duration ttl,
                    int maxEntries, Clock clock, LongSupplier nanoTime) {
        if (ttl.isNegative() || maxEntries < 0) {
            throw new IllegalArgumentException("a cache needs a ttl and a bound of zero or more, not " + ttl
                    + " and " + maxEntries);
        }
        this.lookup = lookup;
        this.endsAt = endsAt;
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    /** The kept answer for {@code key} while it is fresh, else the lookup's (kept when found). */
    Optional<V> get(K key) {
        Entry seen = entries.get(key);
        if (seen != null && seen.answers(nanoTime.getAsLong(), clock.instant())) {
            hits.increment();
            return seen.await();
        }
        misses.increment();
        Entry mine = new Entry(nanoTime.getAsLong());
        boolean kept = seen == null ? hasRoom() && entries.putIfAbsent(key, mine) == null
                : entries.replace(key, seen, mine);
        if (!kept) {
            return lookup.apply(key);
        }
        try {
            Optional<V> answer = lookup.apply(key);
            mine.answer.complete(answer);
            if (answer.isEmpty()) {
                entries.remove(key, mine);
            }
            return answer;
        } catch (RuntimeException | Error e) {
            entries.remove(key, mine);
            mine.answer.completeExceptionally(e);
            throw e;
        }
    }

    /** Forgets every answer: the next request for any key asks the lookup. */
    void clear() {
        entries.clear();
    }

    /** Requests answered without a lookup of their own. */
    long hits() {
        return hits.sum();
    }

    /** Requests that asked the lookup. */
    long misses() {
        return misses.sum();
    }

    /** The keys held, answered or being looked up. */
    int size() {
        return entries.size();
    }

    /** Whether a new key may be held, after dropping the answers no longer fresh when the bound is reached. */
    private boolean hasRoom() {
        if (entries.size() < maxEntries) {
            return true;
        }
        long now = nanoTime.getAsLong();
        Instant wallNow = clock.instant();
        entries.values().removeIf(e -> e.answer.isDone() && !e.answers(now, wallNow));
        return entries.size() < maxEntries;
    }

    /** One lookup of a key: running (its answer not yet complete) or done, and when it was started. */
    private final class Entry {
        private final CompletableFuture<Optional<V>> answer = new CompletableFuture<>();
        private final long askedAtNanos;

        Entry(long askedAtNanos) {
            this.askedAtNanos = askedAtNanos;
        }

        /** Running, or found, within the time to live and before the answer's own end. */
        boolean answers(long now, Instant wallNow) {
            if (!answer.isDone()) {
                return true;
            }
            if (answer.isCompletedExceptionally() || now - askedAtNanos >= ttlNanos) {
                return false;
            }
            Optional<V> found = answer.join();
            return found.isPresent() && endsAt.apply(found.get()).map(wallNow::isBefore).orElse(true);
        }

        Optional<V> await() {
            try {
                return answer.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
        }
    }
}
