package io.granary.gateway.auth;

import io.granary.common.GranaryPath;
import io.granary.common.Role;
import io.granary.gateway.http.GatewayNode;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file request that carries {@code X-Granary-Signature} is judged by its signature alone: valid, it
 * is allowed (a PUT acts for its signer, who becomes the owner); not valid, it is refused with 403 and
 * the reason, whatever token it also carries, and the failure counts against the client's address.
 */
public final class PresignedUrlGrant implements AccessGrant {
    private static final Logger log = LoggerFactory.getLogger(PresignedUrlGrant.class);
    /** The {@link Access#via()} of a request this grant allowed. */
    public static final String VIA = "presigned-url";
    /** The name a presigned upload's principal gets; its id is the signer's. */
    static final String PRINCIPAL_NAME = "presigned-url";

    private final UrlSigner signer;
    private final AuthThrottle throttle;

    /** @param throttle counts each refused signature against the client's address */
    public PresignedUrlGrant(UrlSigner signer, AuthThrottle throttle) {
        this.signer = signer;
        this.throttle = throttle;
    }

    @Override
    public Optional<Access> check(Context ctx, RequestedAccess what) {
        if (ctx.queryParam(UrlSigner.SIGNATURE) == null || what.file().isEmpty()) {
            return Optional.empty();
        }
        GranaryPath file = what.file().get();
        InetAddress client = ClientIp.of(ctx);
        if (!signer.enabled()) {
            throw refuse(ctx, client, file, "presigned URLs are not accepted here: this gateway has no presign key");
        }
        String owner;
        try {
            owner = signer.verify(what.method(), file, ctx::queryParam, client);
        } catch (PresignRefused e) {
            throw refuse(ctx, client, file, e.getMessage());
        }
        // A presigned upload acts as a writer for its signer; the master still checks ownership.
        Optional<Principal> principal = owner == null ? Optional.empty()
                : Optional.of(new Principal(owner, PRINCIPAL_NAME, Role.WRITER));
        return Optional.of(Access.granted(VIA, principal));
    }

    private AuthFailure refuse(Context ctx, InetAddress client, GranaryPath file, String reason) {
        throttle.recordFailure(ctx);
        log.info("{}: refused presigned {} {} from {}: {}", GatewayNode.ID, ctx.method(), file,
                client.getHostAddress(), reason);
        return AuthFailure.forbidden(reason);
    }
}
