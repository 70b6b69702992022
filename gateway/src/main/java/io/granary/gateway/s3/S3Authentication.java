package io.granary.gateway.s3;

import io.granary.client.S3Credential;
import io.granary.common.Role;
import io.granary.gateway.auth.CredentialCache;
import io.granary.gateway.auth.Principal;
import io.granary.gateway.s3.sigv4.SigV4Verifier;
import io.granary.gateway.s3.sigv4.SignedRequest;
import io.granary.gateway.s3.sigv4.VerifiedRequest;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides who sent an S3 request. A signed request (header or presigned URL) is verified with the
 * secret of its access key, which the master is asked for through the gateway's {@link CredentialCache}:
 * a revoked key, or a key of a revoked token, is refused within {@link CredentialCache#TTL} (at its next
 * use when revoked through this gateway). The principal is then the key's token, with its role. An
 * unsigned request is anonymous.
 */
final class S3Authentication {
    private final CredentialCache credentials;
    private final SigV4Verifier verifier;

    S3Authentication(CredentialCache credentials, SigV4Verifier verifier) {
        this.credentials = credentials;
        this.verifier = verifier;
    }

    S3Caller authenticate(Context ctx, S3Request request) {
        SignedRequest signed = new SignedRequest(request.method(), ctx.req().getRequestURI(),
                ctx.req().getQueryString(), SignedRequest.lowerCased(headers(ctx)));
        if (!SigV4Verifier.isSigned(signed)) {
            return S3Caller.anonymous(signed);
        }
        AtomicReference<S3Credential> credential = new AtomicReference<>();
        VerifiedRequest verified = verifier.verify(signed, accessKeyId -> {
            Optional<S3Credential> found = credentials.s3Key(accessKeyId);
            found.ifPresent(credential::set);
            return found.map(S3Credential::secretKey);
        });
        S3Credential key = credential.get();
        Principal principal = new Principal(key.token().id(), key.token().name(), Role.parse(key.token().role()));
        return new S3Caller(Optional.of(principal), verified, signed);
    }

    private static Map<String, List<String>> headers(Context ctx) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(ctx.req().getHeaders(name))));
        }
        return headers;
    }
}
