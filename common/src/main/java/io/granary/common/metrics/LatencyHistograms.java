package io.granary.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.List;

/**
 * Gives every timer the same fixed histogram buckets, so Prometheus sees {@code _bucket{le=…}}
 * series and {@code histogram_quantile} works across nodes and labels. The buckets are fixed rather
 * than Micrometer's percentile histogram (about 70 buckets between 1 ms and 1 min) to keep the
 * number of series small: each labelled timer publishes {@link #BOUNDS}{@code .size()} + 1 buckets
 * (the last is {@code +Inf}) besides {@code _count}, {@code _sum} and {@code _max}, and keeps one
 * counter per bucket in memory. Client-side percentiles (lettuce asks for five by default) are
 * dropped: they cannot be summed across series and each keeps a decaying histogram per series.
 */
public final class LatencyHistograms implements MeterFilter {
    /**
     * Upper bounds of the buckets: from 0.5 ms, the low end of a Redis command, to 1 min, a long
     * upload or a chunk copy; anything slower lands in {@code +Inf} only.
     */
    public static final List<Duration> BOUNDS = List.of(
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));

    private static final double[] BOUNDS_NANOS = BOUNDS.stream().mapToDouble(Duration::toNanos).toArray();

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER) {
            return config;
        }
        return DistributionStatisticConfig.builder()
                .percentilesHistogram(false)
                .percentiles()
                .serviceLevelObjectives(BOUNDS_NANOS)
                .build()
                .merge(config);
    }
}
