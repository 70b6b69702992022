package io.granary.gateway.routes;

import io.granary.client.GranaryClient;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.Role;
import io.granary.common.Visibility;
import io.granary.common.meta.FileMeta;
import io.granary.gateway.auth.AccessControl;
import io.granary.gateway.auth.AuthFailure;
import io.granary.gateway.auth.Principal;
import io.granary.gateway.auth.UrlSigner;
import io.granary.gateway.http.GatewayNode;
import io.granary.gateway.http.Problem;
import io.granary.gateway.http.RequestPaths;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiRequestBody;
import io.javalin.openapi.OpenApiResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/presign}: a URL that lets whoever holds it GET (and HEAD, with Range) or PUT one
 * file until it expires, without a token. Nobody can presign what they could not do themselves: a GET
 * needs a reader, a PUT a writer who may replace the file there (its owner, or an admin).
 */
final class PresignRoutes {
    private static final Logger log = LoggerFactory.getLogger(PresignRoutes.class);
    static final String PRESIGN = "/api/v1/presign";
    private static final String EXAMPLE = "{\"path\": \"/videos/cat.mp4\", \"method\": \"GET\", \"expiresIn\": 3600}";

    private final GranaryClient client;
    private final UrlSigner signer;

    PresignRoutes(GranaryClient client, UrlSigner signer) {
        this.client = client;
        this.signer = signer;
    }

    void register(Javalin app) {
        app.post(PRESIGN, this::presign);
    }

    /** {@code visibility}, {@code replication} and {@code contentType}: what a PUT stores, signed into its URL. */
    record PresignRequestJson(String path, String method, Long expiresIn, String ip, String visibility,
                              Integer replication, String contentType) {
    }

    record PresignJson(String url, String method, Instant expires) {
    }

    @OpenApi(path = PRESIGN, methods = HttpMethod.POST, tags = "auth", operationId = "presign",
            summary = "A presigned URL for one file (GET or PUT), usable without a token until it expires",
            description = "The URL is the file's route with X-Granary-Expires, X-Granary-KeyId, X-Granary-Signature "
                    + "(and X-Granary-Ip when bound to `ip`, X-Granary-Owner for a PUT). A GET URL also serves HEAD "
                    + "and Range; a PUT URL also accepts a multipart POST. A PUT URL stores only what its signer "
                    + "chose: `visibility`, `replication` and `contentType` are signed into it (visibility=, "
                    + "replication=, X-Granary-Content-Type=); its holder cannot add or change them, nor send an "
                    + "active Content-Type (HTML, SVG, script) that was not signed. Changing any part gives 403.",
            requestBody = @OpenApiRequestBody(required = true, content = @OpenApiContent(from = PresignRequestJson.class,
                    example = EXAMPLE)),
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = PresignJson.class)),
                @OpenApiResponse(status = "400", description = "Bad path, method, ip, or expiresIn not 1 s to 7 days",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "401", description = "No valid token",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "403", description = "The caller may not do this itself (role, owner)",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "503", description = "This gateway has no presign key",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void presign(Context ctx) {
        PresignRequestJson request = GatewayJson.read(ctx, PresignRequestJson.class, EXAMPLE);
        if (!signer.enabled()) {
            throw new GranaryException(ErrorKind.UNAVAILABLE, "presigned URLs are off: start the gateway with "
                    + "--presign-key (GRANARY_PRESIGN_KEY)");
        }
        UrlSigner.Method method = method(request.method());
        GranaryPath path = GranaryPath.of(request.path() == null ? "" : request.path());
        if (path.isRoot()) {
            throw GranaryException.invalid("path must name a file");
        }
        long expiresIn = request.expiresIn() == null ? 0 : request.expiresIn();
        if (expiresIn < 1 || expiresIn > UrlSigner.MAX_EXPIRY.toSeconds()) {
            throw GranaryException.invalid("expiresIn must be 1 to " + UrlSigner.MAX_EXPIRY.toSeconds()
                    + " seconds (7 days), not " + expiresIn);
        }
        UrlSigner.Scope scope = scope(request, method);
        Principal caller = AccessControl.principal(ctx);
        if (method == UrlSigner.Method.PUT) {
            requireMayWrite(caller, path);
        }
        UrlSigner.Signed signed;
        try {
            signed = signer.sign(method, path, Instant.now().plusSeconds(expiresIn), request.ip(),
                    method == UrlSigner.Method.PUT ? caller.id() : null, scope);
        } catch (IllegalArgumentException e) {
            throw GranaryException.invalid(e.getMessage());
        }
        log.info("{}: {} presigned {} {} until {}{}", GatewayNode.ID, caller.id(), method, path,
                signed.expires(), request.ip() == null ? "" : " for " + request.ip());
        ctx.json(new PresignJson(url(ctx, path, signed.params()), method.name(), signed.expires()));
    }

    private static UrlSigner.Method method(String text) {
        if (text != null) {
            try {
                return UrlSigner.Method.valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        throw GranaryException.invalid("method must be GET or PUT, not '" + text + "'");
    }

    /** What a PUT URL lets its holder store besides the content; nothing for a GET URL. */
    private static UrlSigner.Scope scope(PresignRequestJson request, UrlSigner.Method method) {
        if (request.visibility() == null && request.replication() == null && request.contentType() == null) {
            return UrlSigner.Scope.NONE;
        }
        if (method != UrlSigner.Method.PUT) {
            throw GranaryException.invalid("visibility, replication and contentType are for a PUT URL only");
        }
        if (request.replication() != null && request.replication() < 1) {
            throw GranaryException.invalid("replication must be at least 1, not " + request.replication());
        }
        if (request.contentType() != null && request.contentType().isBlank()) {
            throw GranaryException.invalid("contentType must name a type, like image/png");
        }
        return new UrlSigner.Scope(
                request.visibility() == null ? null : Visibility.parse(request.visibility()).wireName(),
                request.replication() == null ? null : request.replication().toString(),
                request.contentType() == null ? null : request.contentType().trim());
    }

    /** A PUT URL carries its signer's right to write: a writer, and the file's owner unless an admin. */
    private void requireMayWrite(Principal caller, GranaryPath path) {
        if (!caller.role().atLeast(Role.WRITER)) {
            throw AuthFailure.forbidden("presigning a PUT needs the role writer; this token has "
                    + caller.role().wireName());
        }
        if (caller.isAdmin()) {
            return;
        }
        try {
            FileMeta existing = client.stat(path.value());
            if (!existing.owner().isEmpty() && !existing.owner().equals(caller.id())) {
                throw AuthFailure.forbidden("you do not own " + path + ", so you cannot presign replacing it");
            }
        } catch (GranaryException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static String url(Context ctx, GranaryPath path, Map<String, String> params) {
        String query = params.entrySet().stream()
                .map(p -> p.getKey() + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return ctx.scheme() + "://" + ctx.host() + RequestPaths.fileUri(path) + "?" + query;
    }
}
