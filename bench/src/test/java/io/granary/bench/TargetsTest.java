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

        List<TargetResult> judged = Targets.evaluate(SIZE, List.of("HTTP", "S3"), rows, List.of(), List.of());

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
                List.of(), List.of());

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
                List.of(S3Workload.multipartName(SIZE, "S3")), List.of());

        assertThat(judged).filteredOn(t -> t.target().startsWith("S3 multipart")).singleElement()
                .satisfies(t -> {
                    assertThat(t.failed()).isTrue();
                    assertThat(t.met()).isFalse();
                });
    }

    @Test
    void withoutS3FiguresNoS3TargetIsJudged() {
        List<Comparison> rows = List.of(row(ThroughputWorkload.uploadName(SIZE, "HTTP"), 100));

        assertThat(Targets.evaluate(SIZE, List.of("HTTP"), rows, List.of(), List.of()))
                .noneMatch(t -> t.target().contains("S3"));
    }

    private static Comparison row(String name, double median) {
        return new Comparison(figure(name, median), SYNCED);
    }

    private static Figure figure(String name, double median) {
        return new Figure(name, Figure.MIB_PER_S, List.of(median, median, median));
    }
}
