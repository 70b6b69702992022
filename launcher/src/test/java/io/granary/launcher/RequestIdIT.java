package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.granary.common.ByteSize;
import io.granary.common.grpc.RequestIds;
import io.granary.master.testing.RedisFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * One upload followed across the logs: the gateway keeps a sane {@code X-Request-Id} (or makes
 * one), echoes it, and the log lines of the gateway, the master and every chunkserver of the
 * write chain carry it in the MDC. Log events are captured with a logback appender, at debug.
 */
class RequestIdIT {
    static final long CHUNK = ByteSize.MIB;

    @TempDir
    Path dir;
    RedisFixture redis;
    LocalCluster cluster;
    Http http;
    final ListAppender<ILoggingEvent> events = new ListAppender<>();
    Logger granaryLogger;
    Level savedLevel;

    @BeforeEach
    void startCluster() {
        redis = RedisFixture.start(dir);
        cluster = LocalCluster.start(LocalSettings.builder(dir.resolve("cluster"), 0)
                .redisUri(redis.uri())
                .chunkSizeBytes(CHUNK)
                .build());
        http = new Http(cluster);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        granaryLogger = context.getLogger("io.granary");
        savedLevel = granaryLogger.getLevel();
        granaryLogger.setLevel(Level.DEBUG);
        events.setContext(context);
        events.start();
        granaryLogger.addAppender(events);
    }

    @AfterEach
    void stopCluster() {
        if (granaryLogger != null) {
            granaryLogger.detachAppender(events);
            granaryLogger.setLevel(savedLevel);
        }
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void oneUploadsRequestIdAppearsInTheLogsOfTheGatewayTheMasterAndEveryChunkServerOfTheChain() {
        String id = "upload-" + System.nanoTime();

        HttpResponse<String> put = http.putWithHeaders("traced/file.bin", 1, 2 * CHUNK + 5, RequestIds.HEADER, id);

        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue(RequestIds.HEADER)).hasValue(id);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nodesThatLogged(id))
                .contains("gateway", "master", "chunkserver-1", "chunkserver-2", "chunkserver-3"));
    }

    @Test
    void aDownloadsRequestIdReachesTheChunkServersThatServeIt() {
        assertThat(http.put("traced/read.bin", 2, 3 * CHUNK).statusCode()).isEqualTo(201);
        String id = "download-" + System.nanoTime();

        Http.Download download = http.get("traced/read.bin", RequestIds.HEADER, id);

        assertThat(download.sha256()).isEqualTo(TestBytes.sha256(2, 3 * CHUNK));
        assertThat(download.header(RequestIds.HEADER)).isEqualTo(id);
        // the body may be complete before the gateway's last line for the request is written
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nodesThatLogged(id))
                .contains("gateway", "master").anyMatch(node -> node.startsWith("chunkserver-")));
    }

    @Test
    void anInsaneOrMissingIncomingIdIsReplacedByANewOneThatIsEchoed() {
        String tooLong = "x".repeat(RequestIds.MAX_LENGTH + 1);

        HttpResponse<String> longId = http.putWithHeaders("traced/a", 3, 10, RequestIds.HEADER, tooLong);
        HttpResponse<String> badCharacters = http.putWithHeaders("traced/b", 3, 10, RequestIds.HEADER, "not {sane}");
        HttpResponse<String> none = http.put("traced/c", 3, 10);

        for (HttpResponse<String> response : List.of(longId, badCharacters, none)) {
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.headers().firstValue(RequestIds.HEADER)).get().asString().matches("[0-9a-f]{32}");
        }
    }

    /** The node ids (each log line's prefix) of the lines logged with {@code id} in the MDC. */
    private Set<String> nodesThatLogged(String id) {
        List<ILoggingEvent> lines;
        synchronized (events) { // the appender appends under its own lock
            lines = List.copyOf(events.list);
        }
        return lines.stream()
                .filter(e -> id.equals(e.getMDCPropertyMap().get(RequestIds.MDC_KEY)))
                .map(ILoggingEvent::getFormattedMessage)
                .filter(message -> message.contains(":"))
                .map(message -> message.substring(0, message.indexOf(':')))
                .collect(Collectors.toSet());
    }
}
