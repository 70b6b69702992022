package io.granary.bench;

/**
 * One performance target, judged on this run.
 *
 * @param target   what is required, e.g. {@code "upload 1GiB (HTTP) >= 0.7 x 3 copies + fdatasync 1GiB"}
 * @param value    what was measured: a ratio to the baseline, or an absolute figure
 * @param limit    the bound the value must reach
 * @param atLeast  true when the value must be at least {@code limit}, false when at most
 * @param unit     unit of value and limit ({@code x} for a ratio)
 */
public record TargetResult(String target, double value, double limit, boolean atLeast, String unit) {
    public static final String RATIO = "x";

    public boolean met() {
        return atLeast ? value >= limit : value <= limit;
    }
}
