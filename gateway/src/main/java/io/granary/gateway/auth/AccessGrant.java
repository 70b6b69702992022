package io.granary.gateway.auth;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * Another way than a token to be allowed one file request (a presigned URL, an IP grant), only for
 * {@link RequestedAccess.Kind#READ_FILE} and {@link RequestedAccess.Kind#WRITE_FILE}. {@link AccessControl}
 * tries its grants in order before the bearer token, and its late grants only when a read without any
 * credential finds no public file.
 *
 * <p>Called on a Jetty thread; must be thread-safe and should not block for long.
 */
public interface AccessGrant {
    /**
     * @return the access this grant gives, or empty when it does not apply to the request (then the
     *         next grant, and finally the token, decide)
     * @throws io.granary.common.GranaryException PERMISSION_DENIED when the request carries this
     *         grant's credential but it is not valid (expired, tampered): the reason is the detail
     */
    Optional<Access> check(Context ctx, RequestedAccess what);
}
