package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.client.ClientOptions;
import io.granary.common.ByteSize;
import io.granary.common.ChunkHandle;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway's chunk cache on a real cluster: a small file downloaded again comes from the gateway's
 * memory (one miss, then hits), and a file written again at the same path is served with its new bytes,
 * since it has new chunk handles.
 */
class ChunkCacheIT {
    private static final int SIZE = (int) (4 * ByteSize.KIB);
    private static final String HITS = "granary_gateway_chunk_cache_hits_total";
    private static final String MISSES = "granary_gateway_chunk_cache_misses_total";
    private static final String BYTES = "granary_gateway_chunk_cache_bytes";

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkservers(2).replication(2)
            .chunkCache(ClientOptions.DEFAULT_CHUNK_CACHE_BYTES).build();
    private static final Http http = new Http(cluster);

    @Test
    void aSmallFileDownloadedTwiceIsReadFromAChunkserverOnceThenFromTheGatewaysMemory() {
        assertThat(http.put("cached/twice.txt", 11, SIZE).statusCode()).isEqualTo(201);
        PrometheusText before = metrics();

        assertThat(download("cached/twice.txt")).isEqualTo(TestBytes.slice(11, 0, SIZE));
        PrometheusText afterFirst = metrics();
        assertThat(afterFirst.value(MISSES) - before.value(MISSES)).isEqualTo(1);
        assertThat(afterFirst.value(HITS) - before.value(HITS)).isZero();
        assertThat(afterFirst.value(BYTES) - before.value(BYTES)).isEqualTo(SIZE);

        assertThat(download("cached/twice.txt")).isEqualTo(TestBytes.slice(11, 0, SIZE));
        PrometheusText afterSecond = metrics();
        assertThat(afterSecond.value(MISSES) - afterFirst.value(MISSES)).isZero();
        assertThat(afterSecond.value(HITS) - afterFirst.value(HITS)).isEqualTo(1);

        HttpResponse<byte[]> range = http.getBytes("cached/twice.txt", "Range", "bytes=100-199");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(TestBytes.slice(11, 100, 100));
        assertThat(metrics().value(HITS) - afterSecond.value(HITS)).isEqualTo(1);
    }

    @Test
    void aFileDeletedAndWrittenAgainAtTheSamePathIsServedWithItsNewBytes() {
        assertThat(http.put("cached/again.txt", 21, SIZE).statusCode()).isEqualTo(201);
        ChunkHandle first = cluster.client().stat("cached/again.txt").chunks().get(0).handle();
        assertThat(download("cached/again.txt")).isEqualTo(TestBytes.slice(21, 0, SIZE));
        assertThat(download("cached/again.txt")).isEqualTo(TestBytes.slice(21, 0, SIZE));

        assertThat(http.delete("cached/again.txt").statusCode()).isEqualTo(204);
        assertThat(http.put("cached/again.txt", 22, SIZE).statusCode()).isEqualTo(201);
        PrometheusText before = metrics();

        assertThat(cluster.client().stat("cached/again.txt").chunks().get(0).handle()).isNotEqualTo(first);
        assertThat(download("cached/again.txt")).isEqualTo(TestBytes.slice(22, 0, SIZE));
        assertThat(metrics().value(MISSES) - before.value(MISSES)).as("a new handle").isEqualTo(1);
        assertThat(download("cached/again.txt")).isEqualTo(TestBytes.slice(22, 0, SIZE));
    }

    private static byte[] download(String path) {
        HttpResponse<byte[]> response = http.getBytes(path);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static PrometheusText metrics() {
        return PrometheusText.scrape(cluster.gatewayUrl() + "/metrics");
    }
}
