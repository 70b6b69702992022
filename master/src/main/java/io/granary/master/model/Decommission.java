package io.granary.master.model;

/**
 * A chunkserver's stored decommission record.
 *
 * @param state   {@link DecommissionState#DRAINING} or {@link DecommissionState#DECOMMISSIONED}
 * @param sinceMs when the operator asked for it, epoch ms (kept when draining ends)
 */
public record Decommission(DecommissionState state, long sinceMs) {
}
