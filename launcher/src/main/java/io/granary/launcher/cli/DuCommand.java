package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary du [REMOTE]}: bytes and files under a directory, one line per entry and a total.
 * Walks the directory's listing page by page ({@code GET /api/v1/dirs/{path}}); a subdirectory's
 * totals come from its stat, which the master keeps up to date on every write (O(1) each), so
 * nothing below the first level is walked. {@code -s} asks only the directory's own stat.
 * Without a help mixin, because {@code -h} means human-readable sizes here, as in du(1).
 */
@Command(name = "du", sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Shows the bytes and file count of each entry of a directory, and their total.")
public final class DuCommand extends CliCommand {
    private static final ObjectWriter ONE_LINE = JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", arity = "0..1", paramLabel = "REMOTE", defaultValue = "/",
            description = "The directory, or a file (default: the root).")
    String remote;

    @Option(names = {"-h", "--human-readable"}, description = "Sizes like 1.5 MiB instead of bytes.")
    boolean human;

    @Option(names = {"-s", "--summarize"}, description = "Only the total.")
    boolean summarize;

    @Option(names = "--json", description = "Print JSON: {path, entries: [{name, type, size, files}], size, files}.")
    boolean json;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "" + LsCommand.DEFAULT_PAGE,
            description = "Entries asked for per request (default: ${DEFAULT-VALUE}).")
    int pageSize;

    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    private long totalBytes;
    private long totalFiles;
    private boolean first = true;

    @Override
    void execute() throws IOException {
        if (pageSize < 1) {
            throw new CliException(ExitCodes.USAGE, "--page-size must be at least 1, not " + pageSize);
        }
        String path = remote.equals("/") ? "" : remote;
        JsonNode stat = stat(path);
        String shown = stat.path("path").asText(remote);
        if (!isDirectory(stat) || summarize) {
            total(shown, stat.path("size").asLong(), isDirectory(stat) ? stat.path("files").asLong() : 1);
            return;
        }
        if (json) {
            out().print("{\"path\": " + ONE_LINE.writeValueAsString(shown) + ", \"entries\": [");
        }
        walk(path);
        if (json) {
            out().printf("%s], \"size\": %d, \"files\": %d}%n", first ? "" : "\n", totalBytes, totalFiles);
        } else {
            line(totalBytes, totalFiles, shown);
        }
    }

    private void walk(String dir) throws IOException {
        String after = null;
        do {
            JsonNode page = http.sendForJson(http.request(page(dir, after)).GET().build());
            for (JsonNode entry : page.path("entries")) {
                entry(dir, entry);
            }
            JsonNode next = page.get("next");
            after = next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText();
        } while (after != null);
    }

    private void entry(String dir, JsonNode entry) throws IOException {
        String name = entry.path("name").asText();
        boolean directory = isDirectory(entry);
        long bytes = entry.path("size").asLong();
        long files = 1;
        if (directory) {
            JsonNode stat = stat(dir + "/" + name);
            bytes = stat.path("size").asLong();
            files = stat.path("files").asLong();
        }
        totalBytes += bytes;
        totalFiles += files;
        if (json) {
            ObjectNode node = JSON.createObjectNode().put("name", name).put("type", directory ? "directory" : "file")
                    .put("size", bytes).put("files", files);
            out().print((first ? "\n  " : ",\n  ") + ONE_LINE.writeValueAsString(node));
        } else {
            line(bytes, files, name + (directory ? "/" : ""));
        }
        first = false;
    }

    private void total(String path, long bytes, long files) throws IOException {
        if (json) {
            printJson(JSON.createObjectNode().put("path", path).put("size", bytes).put("files", files));
        } else {
            line(bytes, files, path);
        }
    }

    private void line(long bytes, long files, String name) {
        out().printf("%12s %10d  %s%n", human ? Progress.human(bytes) : Long.toString(bytes), files, name);
    }

    private JsonNode stat(String path) {
        return http.sendForJson(http.request(http.uri("stat", path)).GET().build());
    }

    private URI page(String dir, String after) {
        String query = "?limit=" + pageSize
                + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
        return URI.create(http.uri("dirs", dir) + query);
    }

    private static boolean isDirectory(JsonNode node) {
        String type = node.path("type").asText();
        return type.equals("directory") || type.equals("dir");
    }
}
