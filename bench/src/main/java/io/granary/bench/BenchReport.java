package io.granary.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything one run measured.
 *
 * @param started     when the run began
 * @param elapsed     how long it took
 * @param config      what it was asked to measure
 * @param environment one line each: machine, JDK, file system of the data, cluster
 * @param rows        Granary figures beside their baselines
 * @param baselines   the machine's own figures
 * @param cpu         CPU seconds per GiB of the cluster and of the benchmark's JVM over the largest transfers
 * @param memory      the cluster's peak RSS and heap high-water (empty when they could not be read)
 * @param targets     the targets, judged
 * @param redisWait   what waiting for a Redis replica costs, per figure (empty when not measured)
 * @param notes       what the reader should know (e.g. a figure that does not exist yet)
 */
public record BenchReport(Instant started, Duration elapsed, BenchConfig config, List<String> environment,
                          List<Comparison> rows, List<Figure> baselines, List<Figure> cpu, List<Figure> memory,
                          List<TargetResult> targets, List<RedisWaitCost> redisWait, List<String> notes) {

    public BenchReport {
        environment = List.copyOf(environment);
        rows = List.copyOf(rows);
        baselines = List.copyOf(baselines);
        cpu = List.copyOf(cpu);
        memory = List.copyOf(memory);
        targets = List.copyOf(targets);
        redisWait = List.copyOf(redisWait);
        notes = List.copyOf(notes);
    }
}
