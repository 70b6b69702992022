package io.granary.bench;

/**
 * One performance target, judged on this run.
 *
 * @param target   what is required, e.g. {@code "upload 1GiB (HTTP) >= 0.7 x 3 copies + fdatasync 1GiB"}
 * @param value    what was measured: a ratio to the baseline, or an absolute figure; NaN when its figure failed
 * @param limit    the bound the value must reach
 * @param atLeast  true when the value must be at least {@code limit}, false when at most
 * @param unit     unit of value and limit ({@code x} for a ratio)
 */
public record TargetResult(String target, double value, double limit, boolean atLeast, String unit) {
    public static final String RATIO = "x";

    /** Whether the value reaches the limit; never for a figure that failed. */
    public boolean met() {
        return atLeast ? value >= limit : value <= limit;
    }

    /** Whether the target's figure failed, so there is no value to judge. */
    public boolean failed() {
        return Double.isNaN(value);
    }
}
