package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary ls [REMOTE]}: lists a directory page by page ({@code GET /api/v1/dirs/{path}} with
 * {@code limit} and {@code after}), printing each page as it arrives, so a huge directory is never
 * held in memory. With {@code --json} the entries are one JSON array, streamed the same way.
 */
@Command(name = "ls", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Lists a directory: type, size, modification time and name of each entry.")
public final class LsCommand extends CliCommand {
    static final int DEFAULT_PAGE = 1000;
    private static final ObjectWriter ONE_LINE = JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", arity = "0..1", paramLabel = "REMOTE", defaultValue = "/",
            description = "The directory (default: the root).")
    String remote;

    @Option(names = "--json", description = "Print a JSON array of {name, type, size, modified}.")
    boolean json;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "" + DEFAULT_PAGE,
            description = "Entries asked for per request (default: ${DEFAULT-VALUE}).")
    int pageSize;

    @Override
    void execute() throws IOException {
        if (pageSize < 1) {
            throw new CliException(ExitCodes.USAGE, "--page-size must be at least 1, not " + pageSize);
        }
        String dir = remote.equals("/") ? "" : remote;
        String after = null;
        boolean first = true;
        if (json) {
            out().print("[");
        }
        do {
            JsonNode page = http.sendForJson(http.request(page(dir, after)).GET().build());
            for (JsonNode entry : page.path("entries")) {
                if (json) {
                    out().print((first ? "\n  " : ",\n  ") + ONE_LINE.writeValueAsString(entry));
                } else {
                    printEntry(entry);
                }
                first = false;
            }
            JsonNode next = page.get("next");
            after = next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText();
        } while (after != null);
        if (json) {
            out().println(first ? "]" : "\n]");
        }
    }

    private URI page(String dir, String after) {
        String query = "?limit=" + pageSize
                + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
        return URI.create(http.uri("dirs", dir) + query);
    }

    private void printEntry(JsonNode entry) {
        boolean directory = "dir".equals(entry.path("type").asText()) || "directory".equals(entry.path("type").asText());
        out().printf("%s %12s  %-24s  %s%s%n", directory ? "d" : "-",
                directory ? "-" : Long.toString(entry.path("size").asLong()),
                entry.path("modified").asText(""), entry.path("name").asText(), directory ? "/" : "");
    }
}
