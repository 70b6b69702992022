package io.granary.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code granary cat REMOTE...}: writes files to stdout, one after the other, streamed. */
@Command(name = "cat", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Writes the content of one or more files to stdout.")
public final class CatCommand extends CliCommand {

    @Parameters(arity = "1..*", paramLabel = "REMOTE", description = "Paths in Granary.")
    List<String> remotes;

    @Override
    void execute() {
        for (String remote : remotes) {
            try (InputStream in = http.send(http.request(http.uri("files", remote)).GET().build()).body()) {
                in.transferTo(out());
            } catch (IOException e) {
                throw new CliException(ExitCodes.UNAVAILABLE, "reading " + remote + " broke off: " + e.getMessage());
            }
        }
    }
}
