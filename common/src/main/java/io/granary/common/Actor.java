package io.granary.common;

import java.util.Objects;

/**
 * Who asks the master for a change, for its ownership checks: a principal id (recorded as the owner
 * of what it creates) and whether it is an admin (who may change anything). {@link #SYSTEM} is a
 * caller inside the cluster (a Java program with the cluster's credentials, not the gateway acting
 * for a user): it acts as an admin and owns nothing.
 */
public record Actor(String id, boolean admin) {
    public static final Actor SYSTEM = new Actor("", true);

    public Actor {
        Objects.requireNonNull(id, "id");
    }
}
