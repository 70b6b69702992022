package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary admin decommission CHUNKSERVER [--cancel]}: starts draining a chunkserver
 * ({@code POST /api/v1/admin/chunkservers/{id}/decommission}) or returns it to service
 * ({@code DELETE} of the same). Needs an admin token. Draining goes on in the master; {@code granary
 * cluster} shows how far it got, and the chunkserver may be stopped once it is decommissioned.
 */
@Command(name = "decommission", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = {"Drains a chunkserver: it takes no new chunk, and its chunks are copied to the others.",
                "Once 'granary cluster' shows it decommissioned it may be stopped. Needs an admin token."})
public final class DecommissionCommand extends CliCommand {

    @Parameters(paramLabel = "CHUNKSERVER", description = "The chunkserver's id, as 'granary cluster' lists it.")
    String chunkServer;

    @Option(names = "--cancel", description = "Return the chunkserver to service instead.")
    boolean cancel;

    @Option(names = "--json", description = "Print the gateway's JSON as it is.")
    boolean json;

    @Override
    void execute() throws IOException {
        // one path segment, whatever the id holds
        String segment = URLEncoder.encode(chunkServer, StandardCharsets.UTF_8).replace("+", "%20");
        HttpRequest.Builder request = http.request(http.uri("admin/chunkservers/" + segment + "/decommission"));
        JsonNode answer = http.sendForJson(
                (cancel ? request.DELETE() : request.POST(HttpRequest.BodyPublishers.noBody())).build());
        if (json) {
            printJson(answer);
            return;
        }
        String state = answer.path("state").asText();
        out().printf("chunkserver %s: %s%s%n", chunkServer, state, switch (state) {
            case "draining" -> " (its chunks are being copied elsewhere; follow it with 'granary cluster')";
            case "decommissioned" -> " (it may be stopped)";
            default -> " (in service)";
        });
    }
}
