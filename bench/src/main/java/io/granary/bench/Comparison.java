package io.granary.bench;

/**
 * One row of the result table: a Granary figure beside the machine baseline it is judged against.
 *
 * @param figure   the Granary figure
 * @param baseline the baseline of the same size and shape, or null when there is none
 */
public record Comparison(Figure figure, Figure baseline) {

    /** Granary's median over the baseline's median, or NaN without a baseline. */
    public double ratio() {
        return baseline == null || baseline.median() == 0 ? Double.NaN : figure.median() / baseline.median();
    }
}
