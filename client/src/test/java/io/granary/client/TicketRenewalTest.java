package io.granary.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.EntryType;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.Replica;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A token client's long read asks the master for fresh chunk tickets before the ones it holds run out. */
class TicketRenewalTest {
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long CHUNK = 1000;

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicReference<FileMeta> atMaster = new AtomicReference<>();

    @Test
    void aTicketFarFromItsExpiryIsUsedAsItIsWithoutAskingTheMaster() {
        FileMeta file = file(List.of(10L, 11L), now.get() + 2 * HOUR);
        TicketRenewal renewal = renewal(file);

        ChunkRange range = ChunkRange.plan(file, 0, 2 * CHUNK).get(1);

        assertThat(renewal.renewed(range)).isSameAs(range);
        assertThat(lookups).hasValue(0);
    }

    @Test
    void aTicketNearItsExpiryIsReplacedByTheSameChunksFreshOneAndTheRestOfTheReadUsesThem() {
        FileMeta file = file(List.of(10L, 11L, 12L), now.get() + 2 * HOUR);
        TicketRenewal renewal = renewal(file);
        List<ChunkRange> ranges = ChunkRange.plan(file, 500, 3 * CHUNK - 600);
        now.addAndGet(2 * HOUR - TicketRenewal.MARGIN.toMillis() + 1);
        atMaster.set(file(List.of(10L, 11L, 12L), now.get() + 2 * HOUR));

        ChunkRange second = renewal.renewed(ranges.get(1));
        ChunkRange third = renewal.renewed(ranges.get(2));

        assertThat(lookups).as("one lookup serves the rest of the read").hasValue(1);
        assertThat(second.chunk()).isEqualTo(atMaster.get().chunks().get(1));
        assertThat(third.chunk().access()).isEqualTo(atMaster.get().chunks().get(2).access());
        assertThat(List.of(second.offsetInChunk(), second.length(), third.offsetInChunk(), third.length()))
                .as("the same bytes of the same chunks").containsExactly(0L, CHUNK, 0L, CHUNK - 100);
    }

    @Test
    void aFileReplacedWhileItsTicketsRanOutCannotBeReadOnAndSaysSo() {
        FileMeta file = file(List.of(10L, 11L), now.get() + 2 * HOUR);
        TicketRenewal renewal = renewal(file);
        ChunkRange second = ChunkRange.plan(file, 0, 2 * CHUNK).get(1);
        now.addAndGet(2 * HOUR);
        atMaster.set(file(List.of(20L, 21L), now.get() + 2 * HOUR));

        assertThatThrownBy(() -> renewal.renewed(second)).isInstanceOfSatisfying(GranaryException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.FAILED_PRECONDITION);
            assertThat(e).hasMessageContaining("/f.bin was replaced while it was read");
        });
    }

    @Test
    void chunksWithoutATicketPassAsTheyAre() {
        FileMeta file = file(List.of(10L), 0);
        ChunkRange range = ChunkRange.plan(file, 0, CHUNK).get(0);
        now.addAndGet(100 * HOUR);

        assertThat(renewal(file).renewed(range)).isSameAs(range);
        assertThat(lookups).hasValue(0);
    }

    private TicketRenewal renewal(FileMeta file) {
        return new TicketRenewal(file, () -> {
            lookups.incrementAndGet();
            return atMaster.get();
        }, now::get);
    }

    /** A file of chunks of {@value #CHUNK} bytes with these handles, each with a ticket expiring then (0: none). */
    private static FileMeta file(List<Long> handles, long expiresMs) {
        List<ChunkMeta> chunks = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) {
            String ticket = expiresMs == 0 ? "" : expiresMs + ".signature-of-" + handles.get(i);
            chunks.add(new ChunkMeta(i, new ChunkHandle(handles.get(i)), CHUNK,
                    List.of(new Replica("cs-1", "127.0.0.1:1")), ticket));
        }
        Instant at = Instant.EPOCH;
        return new FileMeta("/f.bin", EntryType.FILE, 1, CHUNK * handles.size(), 1, CHUNK, "", "", at, at, chunks);
    }
}
