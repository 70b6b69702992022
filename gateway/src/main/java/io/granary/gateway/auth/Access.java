package io.granary.gateway.auth;

import java.util.Optional;

/**
 * Why a request was let in, stored on the Javalin context by {@link AccessControl} for the routes.
 *
 * @param principal  who acts: the token's principal, or the one an {@link AccessGrant} acts for
 *                   (e.g. the signer of a presigned URL); empty for an anonymous request
 * @param via        how it was allowed, for logs: {@code token}, {@code anonymous}, or a grant's name
 * @param publicOnly true when nothing but a public file may be served (an anonymous read): the download
 *                   checks the visibility of the very version it serves
 */
public record Access(Optional<Principal> principal, String via, boolean publicOnly) {

    public static Access token(Principal principal) {
        return new Access(Optional.of(principal), "token", false);
    }

    /** A read without any credential: only a public file may be served. */
    public static Access anonymous() {
        return new Access(Optional.empty(), "anonymous", true);
    }

    /** Allowed by a grant (presigned URL, IP grant) acting for {@code principal}, if it names one. */
    public static Access granted(String via, Optional<Principal> principal) {
        return new Access(principal, via, false);
    }
}
