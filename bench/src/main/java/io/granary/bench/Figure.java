package io.granary.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One measured quantity: every repeat's value, and their median, min and max.
 *
 * @param name   what was measured, e.g. {@code "upload 1GiB (HTTP)"}
 * @param unit   {@code MiB/s}, {@code ops/s}, {@code ms/upload} or {@code MiB}
 * @param values one value per repeat, in the order measured
 */
public record Figure(String name, String unit, List<Double> values) {
    public static final String MIB_PER_S = "MiB/s";
    public static final String OPS_PER_S = "ops/s";
    public static final String MIB = "MiB";
    /** Milliseconds of the run per upload: with N uploads in flight, a run's duration over its uploads. */
    public static final String MS_PER_UPLOAD = "ms/upload";

    public Figure {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(name + ": a figure needs at least one value");
        }
        values = List.copyOf(values);
    }

    /** A figure read once (a peak), not repeated. */
    public static Figure single(String name, String unit, double value) {
        return new Figure(name, unit, List.of(value));
    }

    /** The median; with an even count, the mean of the two middle values. */
    public double median() {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    public double min() {
        return Collections.min(values);
    }

    public double max() {
        return Collections.max(values);
    }
}
