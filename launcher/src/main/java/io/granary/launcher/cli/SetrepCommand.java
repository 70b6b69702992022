package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary setrep N REMOTE...} ({@code hdfs dfs -setrep}): a file's replicas per chunk, through
 * {@code PATCH /api/v1/stat/{path}}; the master copies or trims replicas afterwards.
 */
@Command(name = "setrep", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = {"Sets the replication of files (owner or admin); the master then copies or trims replicas.",
            "granary cluster shows the chunks still under-replicated."})
public final class SetrepCommand extends CliCommand {
    @Parameters(index = "0", paramLabel = "N", description = "Replicas per chunk.")
    int replication;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "REMOTE", description = "Files in Granary.")
    List<String> remotes;

    @Option(names = "--json", description = "Print each file's JSON as the gateway answers it.")
    boolean json;

    @Override
    void execute() throws IOException {
        for (String remote : remotes) {
            JsonNode file = patchStat(remote, JSON.createObjectNode().put("replication", replication));
            if (json) {
                printJson(file);
            } else {
                out().printf("%s  replication %d%n", file.path("path").asText(), file.path("replication").asInt());
            }
        }
    }
}
