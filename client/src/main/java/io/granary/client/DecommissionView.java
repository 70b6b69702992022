package io.granary.client;

import java.time.Instant;

/**
 * A chunkserver's decommission state as the master reports it.
 *
 * @param state           {@code normal}, {@code draining} (its chunks are being copied elsewhere; it takes
 *                        no new chunk) or {@code decommissioned} (it may be stopped)
 * @param since           when draining was asked for; {@code null} when normal
 * @param chunksToMove    while draining: its chunks that other chunkservers in service do not yet hold
 *                        at their replication
 * @param chunksUnmovable of those, chunks no other chunkserver in service can take now
 * @param detail          why draining cannot finish now; empty when it is on its way or not draining
 */
public record DecommissionView(String state, Instant since, long chunksToMove, long chunksUnmovable, String detail) {
    public static final String NORMAL_STATE = "normal";
    public static final DecommissionView NORMAL = new DecommissionView(NORMAL_STATE, null, 0, 0, "");

    public DecommissionView {
        state = state == null || state.isEmpty() ? NORMAL_STATE : state;
        detail = detail == null ? "" : detail;
    }

    public boolean draining() {
        return "draining".equals(state);
    }
}
