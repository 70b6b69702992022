package io.granary.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ChunkHandle;
import io.granary.common.meta.ChunkMeta;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkCacheTest {
    private final ChunkCache cache = new ChunkCache(100, 40);

    @Test
    void aChunkPutIsFoundAgainAndCountedAsAHit() {
        byte[] bytes = new byte[30];
        cache.put(handle(1), bytes);

        assertThat(cache.get(chunk(1, 30))).isSameAs(bytes);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isZero();
        assertThat(cache.bytes()).isEqualTo(30);
        assertThat(cache.entries()).isEqualTo(1);
    }

    @Test
    void aChunkNotHeldIsAMiss() {
        assertThat(cache.get(chunk(1, 30))).isNull();

        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.hits()).isZero();
    }

    @Test
    void aChunkLargerThanAnEntryMayBeIsNeitherKeptNorCountedWhenLookedUp() {
        cache.put(handle(1), new byte[41]);

        assertThat(cache.holds(handle(1))).isFalse();
        assertThat(cache.bytes()).isZero();
        assertThat(cache.get(chunk(1, 41))).isNull();
        assertThat(cache.misses()).isZero();
        assertThat(cache.admits(40)).isTrue();
        assertThat(cache.admits(41)).isFalse();
    }

    @Test
    void anEmptyChunkIsNeverKept() {
        cache.put(handle(1), new byte[0]);

        assertThat(cache.entries()).isZero();
        assertThat(cache.get(chunk(1, 0))).isNull();
        assertThat(cache.misses()).isZero();
    }

    @Test
    void theLeastRecentlyReadEntriesGoFirstWhenANewOneNeedsRoom() {
        cache.put(handle(1), new byte[30]);
        cache.put(handle(2), new byte[30]);
        cache.put(handle(3), new byte[30]);
        cache.get(chunk(1, 30)); // 2 is now the least recently read

        cache.put(handle(4), new byte[40]);

        assertThat(cache.holds(handle(2))).isFalse();
        assertThat(List.of(handle(1), handle(3), handle(4))).allMatch(cache::holds);
        assertThat(cache.bytes()).isEqualTo(100);
        assertThat(cache.evictions()).isEqualTo(1);

        cache.put(handle(5), new byte[40]); // 3, then 1, make room

        assertThat(List.of(handle(1), handle(3))).noneMatch(cache::holds);
        assertThat(List.of(handle(4), handle(5))).allMatch(cache::holds);
        assertThat(cache.bytes()).isEqualTo(80);
        assertThat(cache.evictions()).isEqualTo(3);
    }

    @Test
    void theBytesHeldNeverExceedTheCapacity() {
        for (int i = 1; i <= 50; i++) {
            cache.put(handle(i), new byte[1 + i % 40]);
            assertThat(cache.bytes()).isLessThanOrEqualTo(100);
        }
        assertThat(cache.evictions()).isPositive();
    }

    @Test
    void aChunkAlreadyHeldIsNotCountedTwice() {
        cache.put(handle(1), new byte[30]);
        cache.put(handle(1), new byte[30]);

        assertThat(cache.bytes()).isEqualTo(30);
        assertThat(cache.entries()).isEqualTo(1);
    }

    @Test
    void aLayoutThatDisagreesWithTheHeldSizeIsAMiss() {
        cache.put(handle(1), new byte[30]);

        assertThat(cache.get(chunk(1, 31))).isNull();
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void aCapacityOfZeroKeepsNothingAndCountsNothing() {
        ChunkCache off = new ChunkCache(0, ChunkCache.MAX_ENTRY_BYTES);

        off.put(handle(1), new byte[1]);

        assertThat(off.admits(1)).isFalse();
        assertThat(off.entries()).isZero();
        assertThat(off.get(chunk(1, 1))).isNull();
        assertThat(off.misses()).isZero();
        assertThat(off.maxEntryBytes()).isZero();
    }

    @Test
    void anEntryIsNeverLargerThanTheWholeCache() {
        ChunkCache small = new ChunkCache(10, 40);

        small.put(handle(1), new byte[11]);

        assertThat(small.entries()).isZero();
        assertThat(small.maxEntryBytes()).isEqualTo(10);
    }

    @Test
    void aNegativeCapacityIsRefused() {
        assertThatThrownBy(() -> new ChunkCache(-1, 40)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 (off)");
        assertThatThrownBy(() -> ClientOptions.defaults().withChunkCacheBytes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 (off)");
    }

    private static ChunkHandle handle(long value) {
        return new ChunkHandle(value);
    }

    private static ChunkMeta chunk(long handle, long size) {
        return new ChunkMeta(0, handle(handle), size, List.of());
    }
}
