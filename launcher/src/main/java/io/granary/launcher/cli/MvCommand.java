package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code granary mv FROM TO}: renames a file or directory ({@code POST /api/v1/rename}). */
@Command(name = "mv", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Renames a file or directory. An existing target is a conflict (exit 3) unless --overwrite.")
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
        ObjectNode body = JSON.createObjectNode().put("from", absolute(from)).put("to", absolute(to))
                .put("overwrite", overwrite);
        JsonNode moved = http.sendForJson(http.request(http.uri("rename"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
        if (json) {
            printJson(moved);
        }
    }

    private static String absolute(String path) {
        return path.startsWith("/") ? path : "/" + path;
    }
}
