package io.granary.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.grpc.ChunkAccess.Mode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkAccessTest {
    private static final ClusterSecret SECRET = ClusterSecret.of("s3cret-s3cret-s3cret");
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final List<String> CHAIN = List.of("10.0.0.2:7071", "10.0.0.3:7071");

    private final ChunkAccess tickets = ChunkAccess.of(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aReadTicketAllowsReadingItsChunkOnly() {
        String ticket = tickets.read(42);

        assertThat(tickets.allows(ticket, Mode.READ, 42, List.of())).isTrue();
        assertThat(tickets.allows(ticket, Mode.READ, 43, List.of())).isFalse();
        assertThat(tickets.allows(ticket, Mode.WRITE, 42, List.of())).isFalse();
    }

    @Test
    void aWriteTicketAllowsWritingItsChunkDownItsChainOnly() {
        String ticket = tickets.write(-7, CHAIN);

        assertThat(tickets.allows(ticket, Mode.WRITE, -7, CHAIN)).isTrue();
        assertThat(tickets.allows(ticket, Mode.WRITE, -7, List.of("10.0.0.2:7071"))).isFalse();
        assertThat(tickets.allows(ticket, Mode.WRITE, -7, List.of("10.0.0.3:7071", "10.0.0.2:7071"))).isFalse();
        assertThat(tickets.allows(ticket, Mode.WRITE, -7, List.of("10.0.0.2:7071", "203.0.113.9:7071"))).isFalse();
        assertThat(tickets.allows(ticket, Mode.WRITE, 7, CHAIN)).isFalse();
        assertThat(tickets.allows(ticket, Mode.READ, -7, List.of())).isFalse();
    }

    @Test
    void aTicketEndsAfterItsLifetime() {
        String ticket = tickets.read(42);
        ChunkAccess later = ChunkAccess.of(SECRET, Clock.fixed(NOW.plus(ChunkAccess.LIFETIME), ZoneOffset.UTC));
        ChunkAccess justBefore = ChunkAccess.of(SECRET,
                Clock.fixed(NOW.plus(ChunkAccess.LIFETIME).minusMillis(1), ZoneOffset.UTC));

        assertThat(justBefore.allows(ticket, Mode.READ, 42, List.of())).isTrue();
        assertThat(later.allows(ticket, Mode.READ, 42, List.of())).isFalse();
        // what a client reads of it, to renew it in time
        assertThat(ChunkAccess.expiresMs(ticket)).hasValue(NOW.plus(ChunkAccess.LIFETIME).toEpochMilli());
        assertThat(ChunkAccess.expiresMs("")).isEmpty();
        assertThat(ChunkAccess.expiresMs("soon.abc")).isEmpty();
    }

    @Test
    void aTicketOfAnotherClusterAStretchedExpiryOrGarbageAllowNothing() {
        String ticket = tickets.read(42);
        ChunkAccess other = ChunkAccess.of(ClusterSecret.of("another-cluster-secret"), Clock.fixed(NOW, ZoneOffset.UTC));
        long expiry = Long.parseLong(ticket.substring(0, ticket.indexOf('.')));
        String stretched = (expiry + 3_600_000) + ticket.substring(ticket.indexOf('.'));

        assertThat(other.allows(ticket, Mode.READ, 42, List.of())).isFalse();
        assertThat(tickets.allows(stretched, Mode.READ, 42, List.of())).isFalse();
        for (String garbage : new String[] {null, "", ".", "1.", "x.abc", "99999999999999.!!!", ticket + "A"}) {
            assertThat(tickets.allows(garbage, Mode.READ, 42, List.of())).as(garbage).isFalse();
        }
    }
}
