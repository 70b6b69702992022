package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code granary put LOCAL REMOTE}: uploads a file (or stdin), streamed, never held in memory. */
@Command(name = "put", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Uploads a local file (or - for stdin) to a path in Granary, replacing what is there.")
public final class PutCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "LOCAL", description = "The local file, or - for stdin.")
    String local;

    @Parameters(index = "1", paramLabel = "REMOTE", description = "The path in Granary, e.g. videos/movie.mp4.")
    String remote;

    @Option(names = "--replication", paramLabel = "N", description = "Replicas per chunk (default: the cluster's).")
    Integer replication;

    @Option(names = "--content-type", paramLabel = "TYPE",
            description = "Stored Content-Type (default: guessed by the gateway from the extension).")
    String contentType;

    @Option(names = "--json", description = "Print the stored file's JSON.")
    boolean json;

    @Option(names = "--no-progress", description = "Never print a progress line.")
    boolean noProgress;

    @Override
    void execute() throws IOException {
        boolean stdin = local.equals("-");
        if (!stdin) {
            TreeCommand.requireLocal(Path.of(local), false);
            if (Files.isDirectory(Path.of(local))) {
                throw new CliException(ExitCodes.USAGE, local + " is a folder: upload it with cp -r");
            }
        }
        long size = stdin ? -1 : Files.size(Path.of(local));
        Progress progress = new Progress(err(), "put " + remote, size, !noProgress && Progress.interactive());
        InputStream source = stdin ? System.in : Files.newInputStream(Path.of(local));
        JsonNode file;
        try (InputStream in = progress.counting(source)) {
            // Without a size (stdin) the body goes chunked; with one, the gateway can check it arrived whole.
            HttpRequest.BodyPublisher body = size == 0 ? BodyPublishers.noBody()
                    : size > 0 ? BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> in), size)
                    : BodyPublishers.ofInputStream(() -> in);
            HttpRequest.Builder request = http.request(target()).PUT(body);
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            file = http.sendForJson(request.build());
        } finally {
            progress.finish();
        }
        if (json) {
            printJson(file);
        } else {
            out().printf("%s  %s  sha256 %s%n", file.path("path").asText(), Progress.human(file.path("size").asLong()),
                    file.path("sha256").asText());
        }
    }

    private URI target() {
        URI uri = http.uri("files", remote);
        return replication == null ? uri : URI.create(uri + "?replication=" + replication);
    }
}
