package io.granary.common.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/**
 * How a standby master refuses a call, and how a caller recognises the refusal. Any number of
 * masters may share one Redis; one of them is active and the others refuse every metadata call with
 * UNAVAILABLE and the {@link #STANDBY} trailer, naming the active master in {@link #ACTIVE_MASTER}
 * when one is known. A refused call did nothing, so any call (a write too) may be sent again to the
 * active master; a plain UNAVAILABLE may have done its work before the connection broke.
 */
public final class StandbyRefusal {
    /** Present (value: the refusing master's id) on every refusal by a standby. */
    public static final Metadata.Key<String> STANDBY =
            Metadata.Key.of("granary-standby", Metadata.ASCII_STRING_MARSHALLER);
    /** The active master's advertised {@code host:port}, when the standby knows it. */
    public static final Metadata.Key<String> ACTIVE_MASTER =
            Metadata.Key.of("granary-active-master", Metadata.ASCII_STRING_MARSHALLER);

    private StandbyRefusal() {
    }

    /** The refusal master {@code masterId} sends while {@code active} (possibly none) holds the lease. */
    public static StatusRuntimeException of(String masterId, Optional<String> active) {
        return of(masterId, active, "master " + masterId + " is a standby; "
                + active.map(address -> "the active master is at " + address).orElse("no master is active yet"));
    }

    /** As {@link #of(String, Optional)}, with {@code detail} as the status description. */
    public static StatusRuntimeException of(String masterId, Optional<String> active, String detail) {
        Metadata trailers = new Metadata();
        trailers.put(STANDBY, masterId);
        active.ifPresent(address -> trailers.put(ACTIVE_MASTER, address));
        return Status.UNAVAILABLE.withDescription(detail).asRuntimeException(trailers);
    }

    /** Whether {@code trailers} are a standby's refusal. */
    public static boolean isRefusal(Status status, Metadata trailers) {
        return status.getCode() == Status.Code.UNAVAILABLE && trailers != null && trailers.containsKey(STANDBY);
    }

    /** The active master a refusal names, if any. */
    public static Optional<String> activeMaster(Metadata trailers) {
        return trailers == null ? Optional.empty() : Optional.ofNullable(trailers.get(ACTIVE_MASTER));
    }
}
