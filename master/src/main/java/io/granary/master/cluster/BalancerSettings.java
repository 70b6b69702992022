package io.granary.master.cluster;

import io.granary.common.ByteSize;

/**
 * How the master's balancer works: whether it runs at all, how far a chunkserver's usage may stray
 * from the cluster's average before replicas move, and how fast they may move. Immutable; validated
 * on construction.
 *
 * @param enabled              whether the balancer moves anything; off by default, as moving replicas
 *                             costs disk and network an operator may want for clients
 * @param thresholdPercent     percentage points of capacity a chunkserver's usage may lie above or below
 *                             the average usage of the chunkservers in service (HDFS's {@code -threshold}),
 *                             more than 0 and at most 100
 * @param bandwidthBytesPerSecond bytes per second the moves of the whole cluster copy at most, averaged
 *                             over a round; at least 1
 */
public record BalancerSettings(boolean enabled, double thresholdPercent, long bandwidthBytesPerSecond) {
    /** HDFS's default: a chunkserver within 10 points of the average is balanced. */
    public static final String DEFAULT_THRESHOLD_TEXT = "10";
    public static final double DEFAULT_THRESHOLD_PERCENT = Double.parseDouble(DEFAULT_THRESHOLD_TEXT);
    /** One default chunk a second: moves progress without crowding out clients on a modest network. */
    public static final String DEFAULT_BANDWIDTH_TEXT = "64MiB";
    public static final long DEFAULT_BANDWIDTH_BYTES_PER_SECOND = ByteSize.parse(DEFAULT_BANDWIDTH_TEXT);
    public static final BalancerSettings OFF =
            new BalancerSettings(false, DEFAULT_THRESHOLD_PERCENT, DEFAULT_BANDWIDTH_BYTES_PER_SECOND);

    public BalancerSettings {
        if (!(thresholdPercent > 0 && thresholdPercent <= 100)) {
            throw new IllegalArgumentException("balancer threshold " + thresholdPercent
                    + " is not a percentage above 0 and at most 100");
        }
        if (bandwidthBytesPerSecond < 1) {
            throw new IllegalArgumentException("balancer bandwidth " + bandwidthBytesPerSecond
                    + " bytes per second must be at least 1");
        }
    }

    /** These settings, switched on. */
    public BalancerSettings on() {
        return new BalancerSettings(true, thresholdPercent, bandwidthBytesPerSecond);
    }

    @Override
    public String toString() {
        return enabled ? "on (threshold " + thresholdPercent + "%, " + ByteSize.format(bandwidthBytesPerSecond) + "/s)"
                : "off";
    }
}
