package io.granary.master.cluster;

import java.util.List;
import java.util.Locale;

/**
 * The balancer as operators see it.
 *
 * @param state             see {@link State}
 * @param settings          how it is configured
 * @param averageUsage      used bytes over capacity of the live chunkservers in service, 0 to 1
 * @param outside           ids of the chunkservers whose usage lies outside the threshold of the average
 * @param movesInFlight     moves copying now
 * @param chunksMoved       moves done since this master became active
 * @param bytesMoved        bytes those moves copied
 * @param detail            why it waits or cannot move anything; empty otherwise
 */
public record BalancerStatus(State state, BalancerSettings settings, double averageUsage, List<String> outside,
                             long movesInFlight, long chunksMoved, long bytesMoved, String detail) {
    public BalancerStatus {
        outside = List.copyOf(outside);
    }

    static BalancerStatus off(BalancerSettings settings) {
        return new BalancerStatus(State.OFF, settings, 0, List.of(), 0, 0, 0, "");
    }

    public enum State {
        /** Not enabled on this master. */
        OFF,
        /** Safe mode or repairs come first; nothing moves meanwhile. */
        WAITING,
        /** Some chunkserver lies outside the threshold: replicas are moving, or will when throttles allow. */
        BALANCING,
        /** Every chunkserver in service lies within the threshold of the average. */
        BALANCED;

        /** The name on the wire: {@code off}, {@code waiting}, {@code balancing}, {@code balanced}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
