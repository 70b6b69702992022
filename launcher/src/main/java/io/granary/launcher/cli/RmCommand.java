package io.granary.launcher.cli;

import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code granary rm REMOTE...}: deletes files; their space comes back through garbage collection. */
@Command(name = "rm", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Deletes files. Stops at the first failure, with its exit code.")
public final class RmCommand extends CliCommand {

    @Parameters(arity = "1..*", paramLabel = "REMOTE", description = "Paths in Granary.")
    List<String> remotes;

    @Override
    void execute() throws IOException {
        for (String remote : remotes) {
            http.send(http.request(http.uri("files", remote)).DELETE().build()).body().close();
        }
    }
}
