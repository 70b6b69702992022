package io.granary.gateway.s3;

import io.granary.common.Actor;
import io.granary.common.Role;
import io.granary.gateway.auth.Principal;
import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.granary.gateway.s3.sigv4.SignedRequest;
import io.granary.gateway.s3.sigv4.VerifiedRequest;
import java.util.Optional;

/**
 * Who sent an S3 request: the principal its access key belongs to and what its signature verified,
 * or nobody (an unsigned request, which may only read a public object).
 */
record S3Caller(Optional<Principal> principal, VerifiedRequest verified, SignedRequest signed) {

    static S3Caller anonymous(SignedRequest signed) {
        return new S3Caller(Optional.empty(), null, signed);
    }

    boolean isAnonymous() {
        return principal.isEmpty();
    }

    /**
     * The principal, if its role includes {@code needed}.
     *
     * @throws S3Exception AccessDenied for an anonymous caller or a role too low
     */
    Principal require(Role needed) {
        Principal who = principal.orElseThrow(() -> new S3Exception(S3ErrorCode.ACCESS_DENIED,
                "Access Denied: this request needs a signature (AWS Signature Version 4) with an S3 key"));
        if (!who.role().atLeast(needed)) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Access Denied: this request needs the role "
                    + needed.wireName() + "; the key's principal has " + who.role().wireName());
        }
        return who;
    }

    /** The actor of a change: the principal, as the master checks ownership. */
    Actor actor(Role needed) {
        return require(needed).actor();
    }
}
