package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary token create|list|revoke}: API tokens over {@code /api/v1/admin/tokens}, an admin's
 * commands. A new token's secret is printed once.
 */
@Command(name = "token", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = {"Creates, lists and revokes API tokens (admin).",
            "Roles: reader < writer < admin. A token's secret is shown only when it is created."},
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand extends CommandGroup {
    private static final String ROUTE = "admin/tokens";

    /** {@code granary token create NAME --role ROLE [--expires DURATION]}. */
    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = "Creates a token; its secret is shown only this once.")
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "NAME", description = "What the token is for, as listings show it (ci, alice).")
        String name;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "reader",
                description = "reader, writer or admin (default: ${DEFAULT-VALUE}).")
        String role;

        @Option(names = "--expires", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long it works (30d, 12h); without it, until revoked.")
        Duration expires;

        @Option(names = "--json", description = "Print the gateway's JSON: {id, name, role, token, created, expires}.")
        boolean json;

        @Override
        void execute() throws IOException {
            ObjectNode body = JSON.createObjectNode().put("name", name).put("role", role);
            if (expires != null) {
                body.put("expiresIn", expires.toSeconds());
            }
            JsonNode created = http.sendJson("POST", http.uri(ROUTE), body);
            if (json) {
                printJson(created);
            } else {
                out().printf("id       %s%nname     %s%nrole     %s%ntoken    %s%nexpires  %s%n",
                        created.path("id").asText(), created.path("name").asText(), created.path("role").asText(),
                        created.path("token").asText(), created.path("expires").asText("never"));
            }
            err().println("Store the token now: Granary shows it only this once.");
            err().flush();
        }
    }

    /** {@code granary token list}: ids, names, roles and dates, never secrets. */
    @Command(name = "list", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = "Lists the tokens (never their secrets).")
    static final class ListTokens extends CliCommand {
        @Option(names = "--json", description = "Print the gateway's JSON: {tokens: [{id, name, role, created, expires}]}.")
        boolean json;

        @Override
        void execute() throws IOException {
            JsonNode answer = http.sendForJson(http.request(http.uri(ROUTE)).GET().build());
            if (json) {
                printJson(answer);
                return;
            }
            out().printf("%-22s %-20s %-7s %-25s %s%n", "ID", "NAME", "ROLE", "CREATED", "EXPIRES");
            for (JsonNode token : answer.path("tokens")) {
                out().printf("%-22s %-20s %-7s %-25s %s%n", token.path("id").asText(), token.path("name").asText(),
                        token.path("role").asText(), token.path("created").asText(),
                        token.path("expires").asText("never"));
            }
        }
    }

    /** {@code granary token revoke ID}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
                description = "Revokes a token: refused at its next request through the gateway asked, within a second "
                    + "through any other; its S3 keys go with it.")
    static final class Revoke extends CliCommand {
        @Parameters(paramLabel = "ID", description = "The token's id (tok_…), as listed.")
        String id;

        @Override
        void execute() throws IOException {
            http.sendDiscarding(http.request(http.uri(ROUTE, id)).DELETE().build());
        }
    }
}
