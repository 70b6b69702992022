package io.granary.bench;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Measures a figure: one warm-up run whose value is thrown away, then the configured repeats. */
final class Repeater {
    private static final Logger log = LoggerFactory.getLogger(Repeater.class);
    /** The repeat number that a warm-up run is given, so it can name its files apart. */
    static final int WARM_UP = -1;

    /** One run of a measurement; {@code repeat} is 0-based, or {@link #WARM_UP}. */
    @FunctionalInterface
    interface Run {
        double measure(int repeat) throws Exception;
    }

    private final int repeats;

    Repeater(int repeats) {
        this.repeats = repeats;
    }

    Figure measure(String name, String unit, Run run) throws Exception {
        log.info("{}: measuring {} (1 warm-up + {} repeats)", BenchRunner.NODE_ID, name, repeats);
        run.measure(WARM_UP);
        List<Double> values = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            double value = run.measure(r);
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalStateException(name + ": repeat " + r + " measured " + value + " " + unit);
            }
            values.add(value);
        }
        Figure figure = new Figure(name, unit, values);
        log.info("{}: {} = {} {} (min {}, max {})", BenchRunner.NODE_ID, name, ReportTable.number(figure.median()),
                unit, ReportTable.number(figure.min()), ReportTable.number(figure.max()));
        return figure;
    }

    /** The tag of a repeat in file names: {@code w} for the warm-up, else the number. */
    static String tag(int repeat) {
        return repeat == WARM_UP ? "w" : Integer.toString(repeat);
    }
}
