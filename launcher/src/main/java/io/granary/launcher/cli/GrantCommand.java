package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary grant create|list|revoke}: IP grants over {@code /api/v1/grants}, an admin's commands:
 * reads of a file or directory tree from an address range, without a token, until they expire.
 */
@Command(name = "grant", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = {"Creates, lists and revokes IP grants (admin): reads of a path from an address range "
                + "without a token, until the grant expires."},
        subcommands = {GrantCommand.Create.class, GrantCommand.ListGrants.class, GrantCommand.Revoke.class})
public final class GrantCommand extends CommandGroup {
    private static final String ROUTE = "grants";

    /** {@code granary grant create REMOTE --cidr CIDR --expires DURATION}. */
    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = "Lets the addresses of a range read a file or directory tree without a token.")
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "REMOTE", description = "The file or directory in Granary.")
        String remote;

        @Option(names = "--cidr", paramLabel = "CIDR", required = true,
                description = "The addresses allowed, as 203.0.113.0/24 or 2001:db8::/32.")
        String cidr;

        @Option(names = "--expires", paramLabel = "DURATION", required = true, converter = DurationConverter.class,
                description = "How long the grant lasts (12h, 7d).")
        Duration expires;

        @Option(names = "--json", description = "Print the gateway's JSON: {id, path, cidr, expires}.")
        boolean json;

        @Override
        void execute() throws IOException {
            ObjectNode body = JSON.createObjectNode().put("path", remote).put("cidr", cidr)
                    .put("expiresIn", expires.toSeconds());
            JsonNode grant = http.sendJson("POST", http.uri(ROUTE), body);
            if (json) {
                printJson(grant);
            } else {
                out().printf("%s  %s from %s until %s%n", grant.path("id").asText(), grant.path("path").asText(),
                        grant.path("cidr").asText(), grant.path("expires").asText());
            }
        }
    }

    /** {@code granary grant list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = "Lists the grants in force.")
    static final class ListGrants extends CliCommand {
        @Option(names = "--json", description = "Print the gateway's JSON as it is.")
        boolean json;

        @Override
        void execute() throws IOException {
            JsonNode answer = http.sendForJson(http.request(http.uri(ROUTE)).GET().build());
            if (json) {
                printJson(answer);
                return;
            }
            out().printf("%-34s %-30s %-20s %s%n", "ID", "PATH", "CIDR", "EXPIRES");
            for (JsonNode grant : answer.path("grants")) {
                out().printf("%-34s %-30s %-20s %s%n", grant.path("id").asText(), grant.path("path").asText(),
                        grant.path("cidr").asText(), grant.path("expires").asText());
            }
        }
    }

    /** {@code granary grant revoke ID}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = "Revokes a grant at once.")
    static final class Revoke extends CliCommand {
        @Parameters(paramLabel = "ID", description = "The grant's id, as listed.")
        String id;

        @Override
        void execute() throws IOException {
            http.sendDiscarding(http.request(http.uri(ROUTE, id)).DELETE().build());
        }
    }
}
