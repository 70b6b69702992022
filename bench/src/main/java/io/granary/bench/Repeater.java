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
            values.add(checked(name, r, unit, run.measure(r)));
        }
        return logged(new Figure(name, unit, values));
    }

    /**
     * Measures two figures to be compared with each other, each with its warm-up first, then their
     * repeats interleaved: a, b, then b, a, and so on, so that a change of the machine's load during
     * the run weighs on both alike.
     *
     * @return the figure of {@code a}, then that of {@code b}
     */
    List<Figure> measurePair(String nameA, Run a, String nameB, Run b, String unit) throws Exception {
        log.info("{}: measuring {} and {}, interleaved (1 warm-up each + {} repeats)", BenchRunner.NODE_ID, nameA,
                nameB, repeats);
        a.measure(WARM_UP);
        b.measure(WARM_UP);
        List<Double> valuesA = new ArrayList<>();
        List<Double> valuesB = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            if (r % 2 == 0) {
                valuesA.add(checked(nameA, r, unit, a.measure(r)));
                valuesB.add(checked(nameB, r, unit, b.measure(r)));
            } else {
                valuesB.add(checked(nameB, r, unit, b.measure(r)));
                valuesA.add(checked(nameA, r, unit, a.measure(r)));
            }
        }
        return List.of(logged(new Figure(nameA, unit, valuesA)), logged(new Figure(nameB, unit, valuesB)));
    }

    private static double checked(String name, int repeat, String unit, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalStateException(name + ": repeat " + repeat + " measured " + value + " " + unit);
        }
        return value;
    }

    private static Figure logged(Figure figure) {
        log.info("{}: {} = {} {} (min {}, max {})", BenchRunner.NODE_ID, figure.name(),
                ReportTable.number(figure.median()), figure.unit(), ReportTable.number(figure.min()),
                ReportTable.number(figure.max()));
        return figure;
    }

    /** The tag of a repeat in file names: {@code w} for the warm-up, else the number. */
    static String tag(int repeat) {
        return repeat == WARM_UP ? "w" : Integer.toString(repeat);
    }
}
