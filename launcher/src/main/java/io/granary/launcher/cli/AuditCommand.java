package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code granary admin audit}: the audit log through a gateway ({@code GET /api/v1/admin/audit}), newest
 * first, one page ({@code --limit}) and the {@code --after} cursor of the next; admin only.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = {"Lists the audit log, newest first: who changed what, when, from which address, under "
                + "which request id (admin).",
                "Prints the cursor of the next page last, for --after."})
public final class AuditCommand extends CliCommand {

    @Option(names = "--since", paramLabel = "TIME", description = "Entries at or after this instant "
            + "(2024-06-10T08:00:00Z, or ms since the epoch).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Entries at or before this instant.")
    String until;

    @Option(names = "--actor", paramLabel = "TOKEN_ID", description = "Entries of this token id.")
    String actor;

    @Option(names = "--path", paramLabel = "PATH", description = "Entries of this path and below it.")
    String path;

    @Option(names = "--action", paramLabel = "ACTION", description = "Entries of this action (upload, delete, "
            + "rename, mkdir, rmdir, visibility, replication, token.create, grant.revoke, ...).")
    String action;

    @Option(names = "--limit", paramLabel = "N", description = "Entries per page, 1 to 1000 (default 100).")
    Integer limit;

    @Option(names = "--after", paramLabel = "CURSOR", description = "The next page after this cursor.")
    String after;

    @Option(names = "--json", description = "Print the gateway's JSON as it is: {entries, next}.")
    boolean json;

    @Override
    void execute() throws IOException {
        JsonNode page = http.sendForJson(http.request(uri()).GET().build());
        if (json) {
            printJson(page);
            return;
        }
        out().printf("%-24s %-12s %-22s %-15s %-32s %s%n", "TIME", "ACTION", "ACTOR", "ADDRESS", "PATH", "DETAIL");
        for (JsonNode e : page.path("entries")) {
            out().printf("%-24s %-12s %-22s %-15s %-32s %s%n", e.path("time").asText(), e.path("action").asText(),
                    e.path("actor").asText("").isEmpty() ? "(cluster)" : e.path("actor").asText(),
                    e.path("address").asText(), e.path("path").asText(), e.path("detail").asText());
        }
        if (!page.path("next").asText("").isEmpty()) {
            out().printf("more: --after %s%n", page.path("next").asText());
        }
    }

    private URI uri() {
        Map<String, String> query = new LinkedHashMap<>();
        put(query, "since", since);
        put(query, "until", until);
        put(query, "actor", actor);
        put(query, "path", path);
        put(query, "action", action);
        put(query, "limit", limit == null ? null : limit.toString());
        put(query, "after", after);
        URI base = http.uri("admin/audit");
        return query.isEmpty() ? base : URI.create(base + "?" + query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    private static void put(Map<String, String> query, String name, String value) {
        if (value != null && !value.isEmpty()) {
            query.put(name, value);
        }
    }
}
