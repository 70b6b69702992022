package io.granary.common;

/**
 * Milliseconds from an arbitrary origin on a clock that moves forward at the pace of real time and
 * never steps: for durations measured within one process (dead detection, safe mode, pacing,
 * timeouts), which a wall clock step (NTP, an operator, a resumed VM) must neither stretch nor cut
 * short. Its readings mean nothing across processes or as dates. Functional, so that tests can
 * drive it by hand.
 */
@FunctionalInterface
public interface MonotonicClock {

    /** Milliseconds since an arbitrary fixed origin; only differences between readings mean anything. */
    long millis();

    /** The JVM's monotonic clock ({@link System#nanoTime()}). */
    static MonotonicClock system() {
        return () -> System.nanoTime() / 1_000_000;
    }
}
