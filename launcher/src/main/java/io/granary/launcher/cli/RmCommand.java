package io.granary.launcher.cli;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary rm [-r] REMOTE...}: deletes files, and with {@code -r} directories with everything
 * below them ({@code DELETE /api/v1/dirs/{path}?recursive=true}, one request however big the tree).
 * The space comes back through garbage collection.
 */
@Command(name = "rm", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Deletes files, and with -r directories and all they hold. Stops at the first failure, with "
                + "its exit code.")
public final class RmCommand extends CliCommand {

    @Parameters(arity = "1..*", paramLabel = "REMOTE", description = "Paths in Granary.")
    List<String> remotes;

    @Option(names = {"-r", "--recursive"}, description = "Also delete directories, with everything below them.")
    boolean recursive;

    @Option(names = "--json", description = "Print {path, type} of each path deleted.")
    boolean json;

    @Override
    void execute() throws IOException {
        for (String remote : remotes) {
            URI uri = http.uri("files", remote);
            String type = "file";
            if (recursive) {
                Tree.Entry entry = new RemoteTree(http, "").stat(RemoteListing.normalize(remote));
                if (entry == null) {
                    throw new CliException(ExitCodes.NOT_FOUND, "nothing at " + remote + " in Granary");
                }
                if (entry.directory()) {
                    uri = URI.create(http.uri("dirs", remote) + "?recursive=true");
                    type = "directory";
                }
            }
            try {
                http.sendDiscarding(http.request(uri).DELETE().build());
            } catch (CliException e) {
                if (recursive || e.exitCode() != ExitCodes.CONFLICT) {
                    throw e;
                }
                throw new CliException(e.exitCode(), e.getMessage() + " (rm -r deletes a directory)");
            }
            if (json) {
                printJson(JSON.createObjectNode().put("path", "/" + RemoteListing.normalize(remote)).put("type", type));
            }
        }
    }
}
