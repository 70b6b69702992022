package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code granary mkdir REMOTE...}: creates directories ({@code PUT /api/v1/dirs/{path}}). */
@Command(name = "mkdir", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Creates directories. Stops at the first failure, with its exit code.")
public final class MkdirCommand extends CliCommand {

    @Parameters(arity = "1..*", paramLabel = "REMOTE", description = "Directories to create.")
    List<String> remotes;

    @Option(names = "--json", description = "Print each directory's JSON.")
    boolean json;

    @Override
    void execute() throws IOException {
        for (String remote : remotes) {
            JsonNode directory = http.sendForJson(http.request(http.uri("dirs", remote)).PUT(BodyPublishers.noBody()).build());
            if (json) {
                printJson(directory);
            }
        }
    }
}
