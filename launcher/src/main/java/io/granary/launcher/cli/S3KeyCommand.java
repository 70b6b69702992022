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
 * {@code granary s3-key create|list|revoke}: S3 credentials (access key id and secret key) over
 * {@code /api/v1/s3-keys}. A key acts exactly as the token it belongs to: the caller's own, or with
 * {@code --for} another one (an admin's privilege).
 */
@Command(name = "s3-key", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = {"Creates, lists and revokes S3 access keys, each acting as a token.",
            "Without --for, the keys of the caller's own token; an admin may name any token."},
        subcommands = {S3KeyCommand.Create.class, S3KeyCommand.ListKeys.class, S3KeyCommand.Revoke.class})
public final class S3KeyCommand extends CommandGroup {
    private static final String ROUTE = "s3-keys";

    /** {@code granary s3-key create [--for TOKEN_ID]}: the secret key is printed this once. */
    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = "Creates an S3 access key and secret key; the secret key is shown only this once.")
    static final class Create extends CliCommand {
        @Option(names = "--for", paramLabel = "TOKEN_ID",
                description = "The token the key acts as (default: the caller's own; another one needs an admin).")
        String tokenId;

        @Option(names = "--json", description = "Print the gateway's JSON as it is: {accessKeyId, secretKey, token, created}.")
        boolean json;

        @Override
        void execute() throws IOException {
            HttpRequest.BodyPublisher body = tokenId == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("token", tokenId).toString());
            HttpRequest.Builder request = http.request(http.uri(ROUTE)).POST(body);
            if (tokenId != null) {
                request.header("Content-Type", "application/json");
            }
            JsonNode key = http.sendForJson(request.build());
            if (json) {
                printJson(key);
            } else {
                out().printf("access key id  %s%nsecret key     %s%ntoken          %s%n",
                        key.path("accessKeyId").asText(), key.path("secretKey").asText(), key.path("token").asText());
            }
            err().println("Store the secret key now: Granary shows it only this once.");
            err().flush();
        }
    }

    /** {@code granary s3-key list [--for TOKEN_ID]}: access key ids, never secret keys. */
    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = "Lists S3 access keys (never their secret keys): the caller's own, or for an admin every "
                    + "key or one token's.")
    static final class ListKeys extends CliCommand {
        @Option(names = "--for", paramLabel = "TOKEN_ID",
                description = "Only this token's keys (another token than the caller's needs an admin).")
        String tokenId;

        @Option(names = "--json", description = "Print the gateway's JSON as it is: {keys: [{accessKeyId, token, created}]}.")
        boolean json;

        @Override
        void execute() throws IOException {
            String query = tokenId == null ? "" : "?token=" + URLEncoder.encode(tokenId, StandardCharsets.UTF_8);
            JsonNode answer = http.sendForJson(http.request(http.uri(ROUTE + query)).GET().build());
            if (json) {
                printJson(answer);
                return;
            }
            out().printf("%-24s %-22s %s%n", "ACCESS KEY ID", "TOKEN", "CREATED");
            for (JsonNode key : answer.path("keys")) {
                out().printf("%-24s %-22s %s%n", key.path("accessKeyId").asText(), key.path("token").asText(),
                        key.path("created").asText());
            }
        }
    }

    /**
     * {@code granary s3-key revoke ACCESS_KEY_ID}: refused at its next request through the gateway asked,
     * within a second through any other.
     */
    @Command(name = "revoke", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
            description = "Revokes an S3 access key: the caller's own, or any for an admin. The gateway asked "
                    + "refuses it at once, any other within a second.")
    static final class Revoke extends CliCommand {
        @Parameters(paramLabel = "ACCESS_KEY_ID", description = "The access key id to revoke.")
        String accessKeyId;

        @Override
        void execute() throws IOException {
            http.sendDiscarding(http.request(http.uri(ROUTE, accessKeyId)).DELETE().build());
        }
    }
}
