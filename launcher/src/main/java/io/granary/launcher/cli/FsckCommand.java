package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code granary fsck}: the master's check of every committed chunk ({@code GET /api/v1/admin/fsck}).
 * Exits with {@link ExitCodes#UNHEALTHY} (6) when any chunk is missing, corrupt or under-replicated,
 * so a script or a cron job can alert on it; 0 when the cluster is healthy.
 */
@Command(name = "fsck", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeOnInvalidInput = ExitCodes.USAGE, exitCodeListHeading = ExitCodeHelp.HEADING,
        exitCodeList = {ExitCodeHelp.OK, ExitCodeHelp.USAGE, ExitCodeHelp.UNAVAILABLE, ExitCodeHelp.AUTH,
            ExitCodeHelp.UNHEALTHY},
        description = {"Lists chunks that are missing, corrupt or under-replicated, with their files.",
                "Exit code 6 when there is any, 0 when the cluster is healthy."})
public final class FsckCommand extends CliCommand {

    @Option(names = "--json", description = "Print the gateway's JSON as it is: {healthy, chunksChecked, problems}.")
    boolean json;

    @Override
    void execute() throws IOException {
        JsonNode report = http.sendForJson(http.request(http.uri("admin/fsck")).GET().build());
        JsonNode problems = report.path("problems");
        if (json) {
            printJson(report);
        } else {
            print(report.path("chunksChecked").asLong(), problems);
        }
        if (!report.path("healthy").asBoolean(problems.isEmpty())) {
            throw new CliException(ExitCodes.UNHEALTHY, "the cluster is not healthy: " + problems.size()
                    + " chunk(s) need attention");
        }
    }

    private void print(long checked, JsonNode problems) {
        Map<String, Integer> byState = new TreeMap<>();
        if (!problems.isEmpty()) {
            out().printf("%-18s %-16s %-9s %s%n", "STATE", "CHUNK", "REPLICAS", "FILE (CHUNK INDEX)");
        }
        for (JsonNode p : problems) {
            String state = p.path("state").asText();
            byState.merge(state, 1, Integer::sum);
            JsonNode corrupt = p.path("corruptReplicas");
            out().printf("%-18s %-16s %4d/%-4d %s%s%n", state, p.path("handle").asText(),
                    p.path("goodReplicas").asInt(), p.path("wantedReplicas").asInt(), file(p),
                    corrupt.isEmpty() ? "" : "  corrupt on " + join(corrupt));
        }
        out().printf("%d chunk(s) checked: %s%n", checked, byState.isEmpty() ? "healthy" : byState.toString());
    }

    private static String file(JsonNode problem) {
        String path = problem.path("path").asText("");
        return path.isEmpty() ? "(no file)" : path + " (" + problem.path("index").asInt() + ")";
    }

    private static String join(JsonNode values) {
        StringBuilder text = new StringBuilder();
        values.forEach(v -> text.append(text.length() == 0 ? "" : ", ").append(v.asText()));
        return text.toString();
    }
}
