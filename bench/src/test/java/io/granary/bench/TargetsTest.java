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
