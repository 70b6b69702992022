package io.granary.common;

import java.util.Objects;

/**
 * Who asks the master for a change, for its ownership checks and its audit log: a principal id
 * (recorded as the owner of what it creates), whether it is an admin (who may change anything), and
 * where the request came from: the client's address as the gateway decided it and the request id
 * ({@code ""} when unknown). {@link #SYSTEM} is a caller inside the cluster (a Java program with the
 * cluster's credentials, not the gateway acting for a user): it acts as an admin and owns nothing.
 */
public record Actor(String id, boolean admin, String address, String requestId) {
    public static final Actor SYSTEM = new Actor("", true);

    public Actor {
        Objects.requireNonNull(id, "id");
        address = address == null ? "" : address;
        requestId = requestId == null ? "" : requestId;
    }

    /** An actor whose origin is unknown. */
    public Actor(String id, boolean admin) {
        this(id, admin, "", "");
    }

    /** This actor, asking from {@code address} under {@code requestId} (null for unknown). */
    public Actor from(String address, String requestId) {
        return new Actor(id, admin, address, requestId);
    }

    /**
     * Lets this actor act on what belongs to principal {@code principalId} (its tokens' S3 keys, say)
     * only if that is itself or it is an admin.
     *
     * @param what the action, for the refusal: "list the S3 keys of"
     * @throws GranaryException PERMISSION_DENIED otherwise
     */
    public void requireOwnOrAdmin(String principalId, String what) {
        if (!admin && !id.equals(principalId)) {
            throw new GranaryException(ErrorKind.PERMISSION_DENIED, "only an admin may " + what
                    + " another token than its own (" + id + ")");
        }
    }

    /** Whether this is the cluster itself rather than a principal, wherever it asks from. */
    public boolean isSystem() {
        return id.isEmpty();
    }
}
