package io.granary.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.granary.common.ByteSize;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {
    private static final long SIZE = ByteSize.GIB;
    private static final Figure SYNCED = figure(ThroughputWorkload.syncedName(SIZE), 400);

    @Test
    void theS3FiguresAreJudgedAgainstTheHttpApisAndAgainstOnePutObject() {
        List<Comparison> rows = List.of(
                row(ThroughputWorkload.uploadName(SIZE, "HTTP"), 100),
                row(ThroughputWorkload.downloadName(SIZE, "HTTP"), 200),
                row(ThroughputWorkload.uploadName(SIZE, "S3"), 95),
                row(ThroughputWorkload.downloadName(SIZE, "S3"), 150),
                row(S3Workload.multipartName(SIZE, "S3"), 114));

        List<TargetResult> judged = Targets.evaluate(SIZE, List.of("HTTP", "S3"), rows, List.of(), List.of(), List.of());

        assertThat(judged).filteredOn(t -> t.target().startsWith("S3 "))
                .extracting(TargetResult::target, TargetResult::value, TargetResult::met)
                .containsExactly(
                        tuple("S3 PutObject 1GiB >= 0.9 x upload 1GiB (HTTP)", 0.95, true),
                        tuple("S3 GetObject 1GiB >= 0.9 x download 1GiB (HTTP)", 0.75, false),
                        tuple("S3 multipart upload 1GiB, 4 parts at once >= 1.0 x upload 1GiB (S3)", 1.2, true));
    }

    @Test
    void theClientLibrarysReadIsJudgedAtSixTenthsOfTheRawTcpStreamAndTheGatewaysAtAQuarterOfTheHttpGet() {
        Figure tcp = figure(ThroughputWorkload.tcpName(SIZE), 2000);
        Figure get = figure(ThroughputWorkload.loopbackName(SIZE), 500);
        List<Comparison> rows = List.of(
                new Comparison(figure(ThroughputWorkload.downloadName(SIZE, ClientTarget.LABEL), 1000), tcp),
                new Comparison(figure(ThroughputWorkload.downloadName(SIZE, HttpTarget.LABEL), 150), get));

        List<TargetResult> judged = Targets.evaluate(SIZE, List.of(ClientTarget.LABEL, HttpTarget.LABEL), rows,
                List.of(), List.of(), List.of());

        assertThat(judged).filteredOn(t -> t.target().startsWith("download "))
                .extracting(TargetResult::target, TargetResult::value, TargetResult::met)
                .containsExactly(
                        tuple("download 1GiB (client) >= 0.6 x loopback TCP JVM to JVM 1GiB", 0.5, false),
                        tuple("download 1GiB (HTTP) >= 0.25 x loopback HTTP GET 1GiB", 0.3, true));
    }

    @Test
    void aFigureThatFailedHasItsTargetMissedWithoutAValue() {
        List<Comparison> rows = List.of(row(ThroughputWorkload.uploadName(SIZE, "S3"), 95));

        List<TargetResult> judged = Targets.evaluate(SIZE, List.of("S3"), rows,
                List.of(S3Workload.multipartName(SIZE, "S3")), List.of(), List.of());

        assertThat(judged).filteredOn(t -> t.target().startsWith("S3 multipart")).singleElement()
                .satisfies(t -> {
                    assertThat(t.failed()).isTrue();
                    assertThat(t.met()).isFalse();
                });
    }

    @Test
    void withoutS3FiguresNoS3TargetIsJudged() {
        List<Comparison> rows = List.of(row(ThroughputWorkload.uploadName(SIZE, "HTTP"), 100));

        assertThat(Targets.evaluate(SIZE, List.of("HTTP"), rows, List.of(), List.of(), List.of()))
                .noneMatch(t -> t.target().contains("S3"));
    }

    @Test
    void cpuPerGibIsJudgedAtMostFiveCoreSecondsUpFromTheClusterAndOneForTheClientLibrarysRead() {
        String up = ThroughputWorkload.uploadName(SIZE, ClientTarget.LABEL);
        String down = ThroughputWorkload.downloadName(SIZE, ClientTarget.LABEL);
        List<Figure> cpu = List.of(
                cpu(CpuMeter.name(up, CpuMeter.CLUSTER), 12),
                cpu(CpuMeter.name(up, CpuMeter.BENCHMARK), 3),
                cpu(CpuMeter.name(down, CpuMeter.CLUSTER), 1.2),
                cpu(CpuMeter.name(down, CpuMeter.BENCHMARK), 0.9));

        List<TargetResult> judged = Targets.evaluate(SIZE, List.of(ClientTarget.LABEL), List.of(), List.of(), cpu,
                List.of());

        assertThat(judged).extracting(TargetResult::target, TargetResult::value, TargetResult::met)
                .containsExactly(
                        tuple("upload 1GiB (client), cluster <= 5.0 CPU s/GiB", 12.0, false),
                        tuple("download 1GiB (client), cluster <= 1.5 CPU s/GiB", 1.2, true),
                        tuple("download 1GiB (client), benchmark JVM <= 1.0 CPU s/GiB", 0.9, true));
    }

    @Test
    void smallFilesAreJudgedAgainstTheirBaselinesAndAOneChunkUploadAtHalfTheSyncedCopies() {
        Figure trio = figure(SmallFileWorkload.SYNCED_NAME, 1000);
        Figure get16 = figure(SmallFileWorkload.loopbackName(16), 2000);
        List<Comparison> rows = List.of(
                new Comparison(figure(ThroughputWorkload.uploadName(64 * ByteSize.MIB, HttpTarget.LABEL), 100),
                        figure(ThroughputWorkload.syncedName(64 * ByteSize.MIB), 400)),
                new Comparison(figure(SmallFileWorkload.name("4KiB uploads", 16, HttpTarget.LABEL), 1100), trio),
                new Comparison(figure(SmallFileWorkload.name("4KiB downloads", 16, HttpTarget.LABEL), 1000), get16));

        List<TargetResult> judged = Targets.evaluate(SIZE, List.of(HttpTarget.LABEL), rows, List.of(), List.of(),
                List.of());

        assertThat(judged).extracting(TargetResult::target, TargetResult::value, TargetResult::met)
                .containsExactly(
                        tuple("durable upload 64MiB at replication 3 (HTTP) >= 0.5 x 3 copies + fdatasync 64MiB",
                                0.25, false),
                        tuple("4KiB uploads c16 (HTTP) >= 1.0 x 4KiB write+fdatasync x3", 1.1, true),
                        tuple("4KiB downloads c16 (HTTP) >= 1.0 x loopback HTTP GET 4KiB c16", 0.5, false));
    }

    private static Figure cpu(String name, double median) {
        return new Figure(name, CpuMeter.UNIT, List.of(median, median, median));
    }

    private static Comparison row(String name, double median) {
        return new Comparison(figure(name, median), SYNCED);
    }

    private static Figure figure(String name, double median) {
        return new Figure(name, Figure.MIB_PER_S, List.of(median, median, median));
    }
}
