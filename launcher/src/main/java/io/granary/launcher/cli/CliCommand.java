package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.granary.gateway.GatewayConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every client command shares: the gateway URL, the one-line error with its exit code
 * ({@link ExitCodes}), and where output goes. Output that may be file content goes to
 * {@link System#out} as bytes; messages go to the command line's stderr.
 */
abstract class CliCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static final String DEFAULT_GATEWAY = "http://127.0.0.1:" + GatewayConfig.DEFAULT_PORT;

    @Option(names = "--gateway", paramLabel = "URL", defaultValue = "${env:GRANARY_GATEWAY}",
            description = "The gateway to talk to (default: env GRANARY_GATEWAY, else gateway= in "
                    + "~/.config/granary/config, else " + DEFAULT_GATEWAY + ").")
    String gateway;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:GRANARY_TOKEN}",
            description = "API token sent as 'Authorization: Bearer' (default: env GRANARY_TOKEN, else token= in "
                    + "~/.config/granary/config; the variable or the file keep it out of ps).")
    String token;

    @Spec
    CommandSpec spec;

    GatewayHttp http;

    /** Does the work; may throw {@link CliException}, or {@link IOException} for a local file. */
    abstract void execute() throws IOException;

    @Override
    public final Integer call() {
        try {
            CliConfig config = CliConfig.load();
            http = new GatewayHttp(gateway != null ? gateway : config.gateway().orElse(DEFAULT_GATEWAY),
                    token != null && !token.isBlank() ? token : config.token().orElse(null));
            execute();
            out().flush();
            return ExitCodes.OK;
        } catch (CliException e) {
            return fail(e.exitCode(), e.getMessage());
        } catch (IOException e) {
            return fail(ExitCodes.USAGE, describe(e));
        } catch (UncheckedIOException e) {
            return fail(ExitCodes.USAGE, describe(e.getCause()));
        }
    }

    PrintStream out() {
        return System.out;
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Changes a file's settings ({@code PATCH /api/v1/stat/{path}}, owner or admin); answers its JSON. */
    JsonNode patchStat(String remote, ObjectNode change) {
        return http.sendJson("PATCH", http.uri("stat", remote), change);
    }

    void printJson(JsonNode node) throws IOException {
        out().println(JSON.writeValueAsString(node));
    }

    private int fail(int code, String message) {
        out().flush();
        err().println(spec.qualifiedName() + ": " + message);
        err().flush();
        return code;
    }

    static String describe(IOException e) {
        String kind = e.getClass().getSimpleName();
        return switch (kind) {
            case "NoSuchFileException" -> "no such local file: " + e.getMessage();
            case "AccessDeniedException" -> "not allowed: " + e.getMessage();
            case "FileAlreadyExistsException" -> "already exists: " + e.getMessage();
            default -> e.getMessage() != null ? e.getMessage() : kind;
        };
    }
}
