package io.granary.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code granary cat REMOTE...}: writes files to stdout, one after the other, streamed. Each file's
 * SHA-256 is checked against its {@code ETag} at its end ({@link ContentCheck}): what was written cannot
 * be taken back, but bytes that are not the file's end the command with exit code 4 before the next file.
 */
@Command(name = "cat", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Writes the content of one or more files to stdout.")
public final class CatCommand extends CliCommand {

    @Parameters(arity = "1..*", paramLabel = "REMOTE", description = "Paths in Granary.")
    List<String> remotes;

    @Override
    void execute() {
        for (String remote : remotes) {
            HttpResponse<InputStream> response = http.send(http.request(http.uri("files", remote)).GET().build());
            try (InputStream in = new ContentCheck(response.body(), response.headers())) {
                in.transferTo(out());
            } catch (ContentCheck.Mismatch e) {
                throw new CliException(ExitCodes.UNAVAILABLE, remote + ": " + e.getMessage());
            } catch (IOException e) {
                throw new CliException(ExitCodes.UNAVAILABLE, "reading " + remote + " broke off: " + e.getMessage());
            }
        }
    }
}
