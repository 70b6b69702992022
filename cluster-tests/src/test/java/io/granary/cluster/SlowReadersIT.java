package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.granary.common.ByteSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients reading a public file slowly (a tiny receive window, a few KiB every few seconds) cost
 * the gateway only bounded memory and threads: the built {@code granary.jar} runs {@code local} in its
 * own JVM with the README's bounded options ({@link io.granary.common.BoundedJvm#OPTIONS}), and while the slow readers
 * hang on, {@code /health/live} answers every poll within its 1 s timeout, no OutOfMemoryError or
 * buffer leak is logged, and every slow reader gets a definite answer (its bytes, or a 503). A normal
 * download is byte-exact afterwards. Readers beyond the gateway's download slots are refused with 503
 * and {@code Retry-After}, and while every slot stays taken readiness says so.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SlowReadersIT {
    static final long SIZE = 16 * ByteSize.MIB;
    static final int SLOW_READERS = 70;
    static final int SLOW_READ_BYTES = 4 * 1024;
    static final Duration SLOW_PAUSE = Duration.ofSeconds(3);
    static final Duration SLOW_PHASE = Duration.ofSeconds(15);
    /** Each liveness poll's deadline. */
    static final Duration LIVENESS_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    @Test
    void slowReadersCostBoundedMemoryWhileLivenessAnswersEverySecondAndEachGetsADefiniteAnswer() throws Exception {
        try (LocalProcess local = LocalProcess.start(dir.resolve("data"), List.of(), List.of("--chunk-size", "4MiB"))) {
            slowReadersGetDefiniteAnswersWhileTheGatewayStaysLive(local);
        }
    }

    private void slowReadersGetDefiniteAnswersWhileTheGatewayStaysLive(LocalProcess local) throws Exception {
        String base = local.gatewayUrl();
        Http http = local.http(Duration.ofMinutes(2));
        assertThat(http.put("pub/big.bin", 11, SIZE, "?visibility=public").statusCode()).isEqualTo(201);
        URI uri = URI.create(base);

        List<SlowReader> readers = new ArrayList<>();
        for (int i = 0; i < SLOW_READERS; i++) {
            readers.add(SlowReader.start(uri.getHost(), uri.getPort(), "/api/v1/files/pub/big.bin"));
        }
        Probes probes = probeFor(base, SLOW_PHASE);
        readers.forEach(SlowReader::stop);

        assertThat(probes.missedLiveness).as("liveness probes that missed their 1 s deadline").isEmpty();
        for (SlowReader reader : readers) {
            assertThat(reader.answer()).as("what a slow reader got")
                    .satisfiesAnyOf(answer -> assertThat(answer).startsWith("HTTP/1.1 200 "),
                            answer -> assertThat(answer).startsWith("HTTP/1.1 503 ").containsIgnoringCase("Retry-After: "));
        }
        assertThat(readers).as("slow readers beyond the gateway's download slots are refused")
                .anySatisfy(reader -> assertThat(reader.answer()).startsWith("HTTP/1.1 503 "));
        assertThat(probes.notReady).as("readiness while every download slot stayed taken")
                .anySatisfy(body -> assertThat(body).contains("download slots"));
        await().atMost(Duration.ofSeconds(30)).until(() -> http.getText("/health/ready").statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("pub/big.bin").status() == 200);
        assertThat(http.get("pub/big.bin").sha256()).isEqualTo(TestBytes.sha256(11, SIZE));
        assertThat(local.process().isAlive()).as("the cluster survived").isTrue();
        assertThat(local.output()).noneMatch(line -> line.contains("OutOfMemoryError"))
                .noneMatch(line -> line.contains("LEAK:"));
    }

    /** What the probes saw: liveness polls that failed or timed out, and the bodies of not-ready answers. */
    record Probes(List<String> missedLiveness, List<String> notReady) {
    }

    /** Polls /health/live (and /health/ready) until {@code phase} has passed. */
    private static Probes probeFor(String base, Duration phase) throws InterruptedException {
        HttpClient probe = HttpClient.newBuilder().connectTimeout(LIVENESS_TIMEOUT).build();
        HttpRequest live = HttpRequest.newBuilder(URI.create(base + "/health/live")).timeout(LIVENESS_TIMEOUT).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/health/ready")).timeout(Duration.ofSeconds(5)).build();
        Probes probes = new Probes(new ArrayList<>(), new ArrayList<>());
        long end = System.nanoTime() + phase.toNanos();
        while (System.nanoTime() < end) {
            try {
                int status = probe.send(live, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 200) {
                    probes.missedLiveness.add("status " + status);
                }
            } catch (IOException e) {
                probes.missedLiveness.add(e.toString());
            }
            try {
                HttpResponse<String> answer = probe.send(ready, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    probes.notReady.add(answer.body());
                }
            } catch (IOException e) {
                probes.notReady.add(e.toString());
            }
            Thread.sleep(250);
        }
        return probes;
    }

    /** A raw-socket client with a tiny receive window that reads a few KiB, then pauses. */
    static final class SlowReader implements Runnable {
        private final Socket socket = new Socket();
        /** The answer's status line and headers. */
        private final CompletableFuture<String> statusLine = new CompletableFuture<>();
        private volatile boolean stopped;

        static SlowReader start(String host, int port, String path) throws IOException {
            SlowReader reader = new SlowReader();
            reader.socket.setReceiveBufferSize(SLOW_READ_BYTES);
            reader.socket.connect(new InetSocketAddress(host, port), 5_000);
            reader.socket.setSoTimeout((int) SLOW_PHASE.toMillis());
            OutputStream out = reader.socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread thread = new Thread(reader, "slow-reader");
            thread.setDaemon(true);
            thread.start();
            return reader;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[SLOW_READ_BYTES];
            try (InputStream in = socket.getInputStream()) {
                StringBuilder head = new StringBuilder();
                while (!stopped) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    for (int i = 0; i < n && !statusLine.isDone(); i++) {
                        head.append((char) buffer[i]);
                        if (head.indexOf("\r\n\r\n") >= 0) {
                            statusLine.complete(head.toString());
                        }
                    }
                    Thread.sleep(SLOW_PAUSE.toMillis());
                }
            } catch (IOException | InterruptedException e) {
                statusLine.complete("no answer: " + e);
            }
            statusLine.complete("no answer: the connection closed");
        }

        void stop() {
            stopped = true;
            try {
                socket.close();
            } catch (IOException e) {
                // closing is all that is wanted
            }
        }

        /** The status line and headers the reader got, or why none came. */
        String answer() {
            return statusLine.getNow("no answer yet");
        }
    }
}
