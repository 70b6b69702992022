package io.granary.gateway.auth;

import io.granary.common.Actor;
import io.granary.common.Role;
import java.util.Objects;

/**
 * Who a request acts for: the token's id (also the owner recorded on the files it writes), the name
 * an admin gave it, and its role.
 */
public record Principal(String id, String name, Role role) {
    public Principal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** How the master sees this principal when it checks ownership. */
    public Actor actor() {
        return new Actor(id, isAdmin());
    }
}
