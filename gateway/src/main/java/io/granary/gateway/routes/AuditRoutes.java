package io.granary.gateway.routes;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.granary.client.AuditFilter;
import io.granary.client.AuditPage;
import io.granary.client.GranaryClient;
import io.granary.common.GranaryException;
import io.granary.gateway.http.Problem;
import io.granary.gateway.http.RequestTracing;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiParam;
import io.javalin.openapi.OpenApiResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code GET /api/v1/admin/audit}: the master's audit log, newest first, filtered and paged (admin,
 * as every {@code /api/v1/admin} route; see docs/security.md).
 */
final class AuditRoutes {
    static final String AUDIT = "/api/v1/admin/audit";
    private static final String TIME_DOC = "An instant, ISO-8601 (2024-06-10T08:00:00Z) or milliseconds since the "
            + "Unix epoch; inclusive";

    private final GranaryClient client;

    AuditRoutes(GranaryClient client) {
        this.client = client;
    }

    void register(Javalin app) {
        app.get(AUDIT, this::list);
    }

    /** One page of entries and the {@code after} of the next, or null on the last. */
    record AuditPageJson(List<AuditEntryJson> entries, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
    }

    /** One recorded change. */
    record AuditEntryJson(String id, Instant time, String action, String path, String actor, String address,
                          String requestId, String detail) {
    }

    @OpenApi(path = AUDIT, methods = HttpMethod.GET, tags = "auth", operationId = "listAudit",
            summary = "The audit log: every change (uploads, overwrites, deletes, renames, directories, visibility, "
                    + "replication, tokens, grants), who made it, when, from which address and under which request "
                    + "id; newest first (admin)",
            description = "A page may hold fewer than `limit` entries, even none, while `next` is set: the master "
                    + "looks at a bounded number of entries per call. Follow `next` until it is absent.",
            queryParams = {
                @OpenApiParam(name = "since", description = TIME_DOC, example = "2024-06-10T08:00:00Z"),
                @OpenApiParam(name = "until", description = TIME_DOC),
                @OpenApiParam(name = "actor", description = "A token id; the cluster's own changes have an empty actor",
                        example = "tok_0123456789abcdef"),
                @OpenApiParam(name = "path", description = "This path and everything below it", example = "/videos"),
                @OpenApiParam(name = "action", description = "upload, overwrite, delete, rename, mkdir, rmdir, "
                        + "visibility, replication, token.create, token.revoke, s3key.create, s3key.revoke, "
                        + "grant.create or grant.revoke",
                        example = "delete"),
                @OpenApiParam(name = "limit", type = Integer.class, description = "Entries per page, 1 to 1000",
                        example = "100"),
                @OpenApiParam(name = "after", description = "The `next` of the previous page")},
            responses = {
                @OpenApiResponse(status = "200", content = @OpenApiContent(from = AuditPageJson.class)),
                @OpenApiResponse(status = "400", description = "A malformed time, limit or cursor",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM)),
                @OpenApiResponse(status = "503", description = "The master does not answer",
                        content = @OpenApiContent(from = Problem.class, mimeType = ApiDocs.PROBLEM))})
    private void list(Context ctx) {
        AuditFilter filter = new AuditFilter(instant(ctx, "since"), instant(ctx, "until"), ctx.queryParam("actor"),
                ctx.queryParam("path"), ctx.queryParam("action"), ctx.queryParam("after"), limit(ctx));
        AuditPage page = RequestTracing.client(ctx, client).audit(filter);
        ctx.json(new AuditPageJson(page.entries().stream().map(e -> new AuditEntryJson(e.id(), e.time(), e.action(),
                e.path(), e.actor(), e.address(), e.requestId(), e.detail())).toList(),
                page.next().isEmpty() ? null : page.next()));
    }

    private static Instant instant(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return text.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(text))
                    : Instant.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw GranaryException.invalid(name + " must be an ISO-8601 instant such as 2024-06-10T08:00:00Z or "
                    + "milliseconds since the Unix epoch, not '" + text + "'");
        }
    }

    private static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw GranaryException.invalid("limit must be a whole number from 1 to 1000, not '" + text + "'");
    }
}
