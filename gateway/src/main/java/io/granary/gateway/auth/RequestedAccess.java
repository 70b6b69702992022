package io.granary.gateway.auth;

import io.granary.common.GranaryPath;
import io.granary.common.Role;
import java.util.Optional;

/**
 * What a request asks for, as the {@link RoutePolicy} reads it from the method and the route.
 *
 * @param method HTTP method, upper case
 * @param kind   what sort of access it is
 * @param role   the least role a token needs for it ({@code null} for a public route)
 * @param file   for {@link Kind#READ_FILE} and {@link Kind#WRITE_FILE}, the one file concerned
 */
public record RequestedAccess(String method, Kind kind, Role role, Optional<GranaryPath> file) {

    /** The sorts of access; only the two file kinds can be allowed by an {@link AccessGrant}. */
    public enum Kind {
        /** Open to anyone without a token (health, docs, metrics, the dashboard). */
        PUBLIC,
        /** GET or HEAD of one file: a public file needs no token. */
        READ_FILE,
        /** PUT or POST (upload) of one file. */
        WRITE_FILE,
        /** Anything else under the API; needs a token of {@code role}. */
        API
    }

    public boolean isPublic() {
        return kind == Kind.PUBLIC;
    }
}
