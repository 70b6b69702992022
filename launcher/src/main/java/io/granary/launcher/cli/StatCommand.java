package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code granary stat REMOTE}: a file's or directory's metadata, and where each chunk lives. */
@Command(name = "stat", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Shows a path's size, replication, checksum and chunks with their replicas.")
public final class StatCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "REMOTE", description = "The path in Granary; / is the root.")
    String remote;

    @Option(names = "--json", description = "Print the gateway's JSON as it is.")
    boolean json;

    @Override
    void execute() throws IOException {
        JsonNode stat = http.sendForJson(http.request(http.uri("stat", remote.equals("/") ? "" : remote)).GET().build());
        if (json) {
            printJson(stat);
            return;
        }
        for (String field : new String[] {"path", "type", "size", "replication", "chunkSize", "sha256", "contentType",
                "created", "modified"}) {
            if (stat.hasNonNull(field)) {
                out().printf("%-12s %s%n", field, stat.get(field).asText());
            }
        }
        for (JsonNode chunk : stat.path("chunks")) {
            out().printf("chunk %-6d %s  %s  on %s%n", chunk.path("index").asInt(), chunk.path("handle").asText(),
                    Progress.human(chunk.path("size").asLong()), join(chunk.path("replicas")));
        }
    }

    private static String join(JsonNode array) {
        StringBuilder text = new StringBuilder();
        for (JsonNode item : array) {
            text.append(text.length() == 0 ? "" : ", ").append(item.asText());
        }
        return text.toString();
    }
}
