package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary ls [REMOTE]}: lists a directory page by page ({@code GET /api/v1/dirs/{path}} with
 * {@code limit} and {@code after}), printing each page as it arrives, so a huge directory is never
 * held in memory. With {@code --json} the entries are one JSON array, streamed the same way. With
 * {@code -R} every directory below is listed too, depth first ({@link RemoteListing#walk}), each
 * entry shown by its path from REMOTE.
 */
@Command(name = "ls", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Lists a directory: type, size, modification time and name of each entry.")
public final class LsCommand extends CliCommand {
    static final int DEFAULT_PAGE = 1000;
    private static final ObjectWriter ONE_LINE = JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", arity = "0..1", paramLabel = "REMOTE", defaultValue = "/",
            description = "The directory (default: the root).")
    String remote;

    @Option(names = {"-R", "--recursive"}, description = "List everything below too, each entry by its path from REMOTE.")
    boolean recursive;

    @Option(names = "--json", description = "Print a JSON array of {name, type, size, modified, sha256} (with -R, "
            + "also path).")
    boolean json;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "" + DEFAULT_PAGE,
            description = "Entries asked for per request (default: ${DEFAULT-VALUE}).")
    int pageSize;

    private boolean first = true;

    @Override
    void execute() throws IOException {
        if (pageSize < 1) {
            throw new CliException(ExitCodes.USAGE, "--page-size must be at least 1, not " + pageSize);
        }
        String dir = RemoteListing.normalize(remote);
        RemoteListing listing = new RemoteListing(http, pageSize);
        if (json) {
            out().print("[");
        }
        if (recursive) {
            listing.walk(dir, (path, entry) -> print(path, entry));
        } else {
            listing.forEach(dir, entry -> print(null, entry));
        }
        if (json) {
            out().println(first ? "]" : "\n]");
        }
    }

    private void print(String path, JsonNode entry) throws IOException {
        if (json) {
            JsonNode shown = path == null ? entry : JSON.createObjectNode().put("path", path).setAll((ObjectNode) entry);
            out().print((first ? "\n  " : ",\n  ") + ONE_LINE.writeValueAsString(shown));
        } else {
            printEntry(path == null ? entry.path("name").asText() : path, entry);
        }
        first = false;
    }

    private void printEntry(String name, JsonNode entry) {
        boolean directory = RemoteListing.isDirectory(entry);
        out().printf("%s %12s  %-24s  %s%s%n", directory ? "d" : "-",
                directory ? "-" : Long.toString(entry.path("size").asLong()),
                entry.path("modified").asText(""), name, directory ? "/" : "");
    }
}
