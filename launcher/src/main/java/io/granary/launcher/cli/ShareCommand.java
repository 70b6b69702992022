package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary share REMOTE [--expires DURATION] [--upload]}: a presigned URL ({@code POST /api/v1/presign})
 * that lets anyone holding it download (or upload) that one path without a token, until it expires.
 */
@Command(name = "share", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = {"Prints a link that downloads a file without a token until it expires (a presigned URL).",
            "Only what your token may do can be shared; the gateway needs a presign key (--presign-key)."})
public final class ShareCommand extends CliCommand {
    @Parameters(paramLabel = "REMOTE", description = "The file in Granary.")
    String remote;

    @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "How long the link works, at most 7d (default: ${DEFAULT-VALUE}).")
    Duration expires;

    @Option(names = "--upload", description = "A link that uploads to the path (PUT, or a form POST) instead.")
    boolean upload;

    @Option(names = "--json", description = "Print the gateway's JSON: {url, method, expires}.")
    boolean json;

    @Override
    void execute() throws IOException {
        ObjectNode body = JSON.createObjectNode().put("path", remote).put("method", upload ? "PUT" : "GET")
                .put("expiresIn", expires.toSeconds());
        JsonNode link = http.sendJson("POST", http.uri("presign"), body);
        if (json) {
            printJson(link);
        } else {
            out().println(link.path("url").asText());
            err().println("valid until " + link.path("expires").asText() + " for " + link.path("method").asText());
            err().flush();
        }
    }
}
