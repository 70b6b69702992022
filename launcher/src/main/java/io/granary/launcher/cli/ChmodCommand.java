package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary chmod public|private REMOTE...}: a file's visibility, through
 * {@code PATCH /api/v1/stat/{path}}. A public file is read by anyone without a token.
 */
@Command(name = "chmod", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Makes files public (read by anyone, without a token) or private again (owner or admin).")
public final class ChmodCommand extends CliCommand {
    /** The two visibilities, as the API names them. */
    enum Visibility { PUBLIC, PRIVATE }

    @Parameters(index = "0", paramLabel = "public|private", description = "The visibility: ${COMPLETION-CANDIDATES}.")
    Visibility visibility;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "REMOTE", description = "Files in Granary.")
    List<String> remotes;

    @Option(names = "--json", description = "Print each file's JSON as the gateway answers it.")
    boolean json;

    @Override
    void execute() throws IOException {
        String wire = visibility.name().toLowerCase(Locale.ROOT);
        for (String remote : remotes) {
            JsonNode file = patchStat(remote, JSON.createObjectNode().put("visibility", wire));
            if (json) {
                printJson(file);
            } else {
                out().printf("%s  %s%n", file.path("path").asText(), file.path("visibility").asText());
            }
        }
    }
}
