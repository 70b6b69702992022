package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary mv FROM TO}: renames a file or directory ({@code POST /api/v1/rename}), across
 * directories too (missing parents of TO are created). As mv(1) does, a TO that ends with {@code /}
 * or is an existing directory receives FROM under its own name.
 */
@Command(name = "mv", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Renames or moves a file or directory; into TO when TO ends with / or is a directory. An existing "
                + "target is a conflict (exit 3) unless --overwrite.")
public final class MvCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "FROM", description = "The current path.")
    String from;

    @Parameters(index = "1", paramLabel = "TO", description = "The new path.")
    String to;

    @Option(names = "--overwrite", description = "Replace an existing file at TO.")
    boolean overwrite;

    @Option(names = "--json", description = "Print the moved entry's JSON, at its new path.")
    boolean json;

    @Override
    void execute() throws IOException {
        ObjectNode body = JSON.createObjectNode().put("from", absolute(from)).put("to", absolute(target()))
                .put("overwrite", overwrite);
        JsonNode moved = http.sendJson("POST", http.uri("rename"), body);
        if (json) {
            printJson(moved);
        }
    }

    private String target() {
        String name = RemoteListing.normalize(from);
        name = name.substring(name.lastIndexOf('/') + 1);
        String path = RemoteListing.normalize(to);
        Tree.Entry existing = new RemoteTree(http, "").stat(path);
        boolean into = to.endsWith("/") || (existing != null && existing.directory());
        return into && !name.isEmpty() ? Tree.child(path, name) : path;
    }

    private static String absolute(String path) {
        return path.startsWith("/") ? path : "/" + path;
    }
}
