package io.granary.bench;

/**
 * What waiting for Redis replicas costs one figure: the same operations against a master that sends
 * {@code WAIT} after every metadata change and against one that does not, measured in the same run.
 *
 * @param name        the operations, e.g. {@code 4KiB uploads c1 (HTTP)}
 * @param replicas    the replicas the waiting master asks for ({@code --redis-wait-replicas})
 * @param withWait    its figure with {@code WAIT}, in {@link Figure#MS_PER_UPLOAD}
 * @param withoutWait its figure without, the baseline
 */
public record RedisWaitCost(String name, int replicas, Figure withWait, Figure withoutWait) {

    /** What {@code WAIT} adds: the median with it less the median without it. */
    public double difference() {
        return withWait.median() - withoutWait.median();
    }

    /** The median with {@code WAIT} over the median without it: above 1 when waiting costs time. */
    public double ratio() {
        return withWait.median() / withoutWait.median();
    }
}
