package io.granary.gateway.auth;

import io.granary.common.GranaryPath;
import io.granary.common.Role;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which role each route needs: the one table of the gateway's access policy. Everything outside
 * {@code /api/} is public (health, OpenAPI and Swagger UI, metrics, the dashboard and its assets):
 * none of it holds a user's data. Under {@code /api/} the first matching rule wins, and a route no rule
 * names needs an admin, so that a new route is closed until someone opens it here.
 */
public final class RoutePolicy {
    static final String API = "/api/";
    static final String FILES = "/api/v1/files";

    private static final Set<String> READS = Set.of("GET", "HEAD");
    private static final Set<String> UPLOADS = Set.of("PUT", "POST");
    private static final Set<String> ANY = Set.of("GET", "HEAD", "PUT", "POST", "PATCH", "DELETE");

    private record Rule(Set<String> methods, String prefix, RequestedAccess.Kind kind, Role role) {
        boolean matches(String method, String uri) {
            return methods.contains(method) && (uri.equals(prefix) || uri.startsWith(prefix + "/"));
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule(READS, FILES, RequestedAccess.Kind.READ_FILE, Role.READER),
            new Rule(UPLOADS, FILES, RequestedAccess.Kind.WRITE_FILE, Role.WRITER),
            // a writer deletes only what it owns: the master checks that, atomically
            new Rule(Set.of("DELETE"), FILES, RequestedAccess.Kind.API, Role.WRITER),
            new Rule(READS, "/api/v1/stat", RequestedAccess.Kind.API, Role.READER),
            new Rule(Set.of("PATCH"), "/api/v1/stat", RequestedAccess.Kind.API, Role.WRITER),
            new Rule(READS, "/api/v1/dirs", RequestedAccess.Kind.API, Role.READER),
            new Rule(Set.of("PUT", "DELETE"), "/api/v1/dirs", RequestedAccess.Kind.API, Role.WRITER),
            new Rule(Set.of("POST"), "/api/v1/rename", RequestedAccess.Kind.API, Role.WRITER),
            new Rule(READS, "/api/v1/cluster", RequestedAccess.Kind.API, Role.READER),
            new Rule(READS, "/api/v1/whoami", RequestedAccess.Kind.API, Role.READER),
            // a presigned URL can only carry what its signer may do; the route checks the method asked for
            new Rule(Set.of("POST"), "/api/v1/presign", RequestedAccess.Kind.API, Role.READER),
            // any principal manages its own S3 keys; S3KeyRoutes and the master keep it to its own
            new Rule(Set.of("GET", "POST", "DELETE"), "/api/v1/s3-keys", RequestedAccess.Kind.API, Role.READER),
            new Rule(ANY, "/api/v1/grants", RequestedAccess.Kind.API, Role.ADMIN),
            new Rule(ANY, "/api/v1/admin", RequestedAccess.Kind.API, Role.ADMIN));

    private final Function<Context, GranaryPath> filePath;

    /**
     * @param filePath the file path of a {@code /api/v1/files/...} request, parsed as the routes parse
     *                 it (it throws INVALID_ARGUMENT for a malformed one)
     */
    public RoutePolicy(Function<Context, GranaryPath> filePath) {
        this.filePath = filePath;
    }

    /** What {@code ctx}'s request asks for. */
    public RequestedAccess classify(Context ctx) {
        // The method the router dispatches on (method overrides are refused before this runs).
        String method = ctx.method().name();
        RequestedAccess what = describe(method, ctx.req().getRequestURI());
        if (what.kind() == RequestedAccess.Kind.READ_FILE || what.kind() == RequestedAccess.Kind.WRITE_FILE) {
            return new RequestedAccess(method, what.kind(), what.role(), Optional.of(filePath.apply(ctx)));
        }
        return what;
    }

    /**
     * What a request of {@code method} to {@code uri} asks for, without naming its file: the same
     * decision as {@link #classify(Context)}, for a request path or a documented path template
     * ({@code /api/v1/files/{path}}). The API documentation derives each operation's security from it.
     */
    public static RequestedAccess describe(String method, String uri) {
        if (!uri.startsWith(API) && !uri.equals("/api")) {
            return new RequestedAccess(method, RequestedAccess.Kind.PUBLIC, null, Optional.empty());
        }
        for (Rule rule : RULES) {
            if (rule.matches(method, uri)) {
                return new RequestedAccess(method, rule.kind(), rule.role(), Optional.empty());
            }
        }
        return new RequestedAccess(method, RequestedAccess.Kind.API, Role.ADMIN, Optional.empty());
    }
}
