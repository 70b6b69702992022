package io.granary.common;

import java.util.Optional;

/**
 * This master is not the active one (it is a standby, or it lost its lease and was fenced), so it did
 * nothing with the request. Callers may send the request again to the active master, which
 * {@link #activeMaster()} names when known. Crosses gRPC as a standby refusal.
 */
public final class NotActiveException extends GranaryException {
    private static final long serialVersionUID = 1L;

    private final String masterId;
    private final String activeMaster;

    public NotActiveException(String masterId, Optional<String> activeMaster, String message) {
        super(ErrorKind.UNAVAILABLE, message);
        this.masterId = masterId;
        this.activeMaster = activeMaster.orElse(null);
    }

    /** The master that refused. */
    public String masterId() {
        return masterId;
    }

    /** The active master's advertised {@code host:port}, when known. */
    public Optional<String> activeMaster() {
        return Optional.ofNullable(activeMaster);
    }
}
