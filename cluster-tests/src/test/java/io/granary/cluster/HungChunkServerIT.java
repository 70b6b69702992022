package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.chunkserver.grpc.ReadChunkHold;
import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.common.ByteSize;
import io.granary.common.meta.FileMeta;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A chunkserver that hangs while its heartbeats still pass (the master keeps listing it first) costs
 * a download one stall, not one per chunk: the read is hedged on another replica and the hung one is
 * tried last for the rest of the transfer. Reads reaching the hung node are counted by its
 * {@link ReadChunkHold}; no assertion is on time.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class HungChunkServerIT {
    static final long CHUNK = 256 * ByteSize.KIB;
    static final int CHUNKS = 12;
    static final long SIZE = CHUNKS * CHUNK + 101;
    /** The chunk being read and the one read ahead may both have started on it before the stall showed. */
    static final long MOST_READS_OF_HUNG_REPLICA = 2;

    @RegisterExtension
    final MiniGranary cluster = MiniGranary.builder()
            .chunkSize(CHUNK)
            .build();
    final Http http = new Http(cluster);

    @BeforeEach
    void writeFile() {
        assertThat(http.put("hung/a.bin", 7, SIZE).statusCode()).isEqualTo(201);
    }

    @Test
    void aGatewayDownloadSendsOnlyABoundedNumberOfReadsToAHungReplica() {
        ReadChunkHold hung = hangTheChunkServerListedFirstMostOften();
        long before = hung.calls();

        assertThat(http.get("hung/a.bin").sha256()).isEqualTo(TestBytes.sha256(7, SIZE));

        assertThat(hung.calls() - before).isLessThanOrEqualTo(MOST_READS_OF_HUNG_REPLICA);
    }

    @Test
    void aClientLibraryDownloadSendsOnlyABoundedNumberOfReadsToAHungReplica() {
        ReadChunkHold hung = hangTheChunkServerListedFirstMostOften();
        long before = hung.calls();
        try (GranaryClient client = GranaryClient.connect(cluster.masterAddress(),
                ClientOptions.defaults().withSecurity(cluster.security()))) {
            TestBytes.Sha256Sink sink = new TestBytes.Sha256Sink();

            assertThat(client.download("hung/a.bin", 0, -1, sink)).isEqualTo(SIZE);

            assertThat(sink.hex()).isEqualTo(TestBytes.sha256(7, SIZE));
        }
        assertThat(hung.calls() - before).isLessThanOrEqualTo(MOST_READS_OF_HUNG_REPLICA);
    }

    /**
     * Hangs the chunkserver listed first for the most chunks: a reader tries the listed order, so
     * without the session's memory it would be asked once per such chunk (at least 4 of 12 on three
     * chunkservers), more than {@link #MOST_READS_OF_HUNG_REPLICA}.
     */
    private ReadChunkHold hangTheChunkServerListedFirstMostOften() {
        FileMeta file = cluster.client().stat("hung/a.bin");
        Map<String, Long> led = file.chunks().stream().collect(
                Collectors.groupingBy(c -> c.replicas().get(0).chunkserverId(), Collectors.counting()));
        String first = Collections.max(led.entrySet(), Map.Entry.comparingByValue()).getKey();
        assertThat(led.get(first)).as("chunks whose first replica is the hung one").isGreaterThan(MOST_READS_OF_HUNG_REPLICA);
        for (int i = 0; i < cluster.settings().chunkservers(); i++) {
            if (cluster.chunkServer(i).id().equals(first)) {
                ReadChunkHold hold = cluster.chunkServer(i).readChunkHold();
                hold.hold(true);
                return hold;
            }
        }
        throw new AssertionError("no running chunkserver " + first);
    }
}
