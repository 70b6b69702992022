package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary find PATH [filters]}: every entry below a directory that passes all the filters,
 * walked depth first page by page ({@link RemoteListing}), printed as it is found. The time
 * filters compare the listing's {@code modified} with the time the command started.
 */
@Command(name = "find", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Prints the path of every file and directory below PATH that passes all the filters given.")
public final class FindCommand extends CliCommand {
    private static final ObjectWriter ONE_LINE = JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", defaultValue = "/",
            description = "The directory to search (default: the root).")
    String remote;

    @Option(names = "--name", paramLabel = "GLOB", description = "The entry's name matches GLOB (*, ?, [a-z], {a,b}).")
    String name;

    @Option(names = "--type", paramLabel = "f|d", description = "Only files (f) or only directories (d).")
    String type;

    @Option(names = "--larger", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Files of more than SIZE bytes (64MiB, 10KiB, 500).")
    Long larger;

    @Option(names = "--smaller", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Files of fewer than SIZE bytes.")
    Long smaller;

    @Option(names = "--older", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Modified more than DURATION ago (30s, 15m, 12h, 7d).")
    Duration older;

    @Option(names = "--newer", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Modified less than DURATION ago.")
    Duration newer;

    @Option(names = "--json", description = "Print a JSON array of {path, name, type, size, modified, sha256}.")
    boolean json;

    private PathMatcher glob;
    private Instant now;
    private boolean first = true;

    @Override
    void execute() throws IOException {
        if (type != null && !type.equals("f") && !type.equals("d")) {
            throw new CliException(ExitCodes.USAGE, "--type is f (files) or d (directories), not '" + type + "'");
        }
        glob = name == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + name);
        now = Instant.now();
        String root = RemoteListing.normalize(remote);
        if (json) {
            out().print("[");
        }
        new RemoteListing(http, LsCommand.DEFAULT_PAGE).walk(root, (path, entry) -> {
            if (matches(entry)) {
                print(root.isEmpty() ? "/" + path : "/" + root + "/" + path, entry);
            }
        });
        if (json) {
            out().println(first ? "]" : "\n]");
        }
    }

    private boolean matches(JsonNode entry) {
        boolean directory = RemoteListing.isDirectory(entry);
        long size = entry.path("size").asLong();
        Instant modified = Instant.parse(entry.path("modified").asText(Instant.EPOCH.toString()));
        return (type == null || type.equals(directory ? "d" : "f"))
                && (glob == null || glob.matches(Path.of(entry.path("name").asText())))
                // a directory's size is all it holds; find's size filters are about files
                && (larger == null || (!directory && size > larger))
                && (smaller == null || (!directory && size < smaller))
                && (older == null || modified.isBefore(now.minus(older)))
                && (newer == null || modified.isAfter(now.minus(newer)));
    }

    private void print(String path, JsonNode entry) throws IOException {
        if (json) {
            ObjectNode node = JSON.createObjectNode().put("path", path);
            node.setAll((ObjectNode) entry);
            out().print((first ? "\n  " : ",\n  ") + ONE_LINE.writeValueAsString(node));
        } else {
            out().println(path + (RemoteListing.isDirectory(entry) ? "/" : ""));
        }
        first = false;
    }
}
