package io.granary.launcher.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary get REMOTE [LOCAL]}: downloads a file, streamed. It is written beside its target as
 * {@code LOCAL.part} and renamed only when complete and its SHA-256, computed as the bytes arrive, is
 * the one the gateway's {@code ETag} names ({@link ContentCheck}); so an interrupted or damaged
 * download never looks whole. A failure to write locally is exit code 1; the gateway's stream breaking
 * off, or bytes that are not the file's, 4.
 */
@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Downloads a file from Granary to a local file (default: its name, here), or - for stdout.")
public final class GetCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "REMOTE", description = "The path in Granary.")
    String remote;

    @Parameters(index = "1", arity = "0..1", paramLabel = "LOCAL",
            description = "Where to write it; - for stdout; a directory keeps the remote name.")
    String local;

    @Option(names = "--no-progress", description = "Never print a progress line.")
    boolean noProgress;

    @Option(names = "--json", description = "Print {path, local, size, sha256} of what was written.")
    boolean json;

    @Override
    void execute() throws IOException {
        HttpResponse<InputStream> response = http.send(http.request(http.uri("files", remote)).GET().build());
        long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean toStdout = "-".equals(local);
        Progress progress = new Progress(err(), "get " + remote, size, !toStdout && !noProgress && !json
                && Progress.interactive());
        Path target = toStdout ? null : target();
        ContentCheck checked = new ContentCheck(new DownloadStream(response.body()), response.headers());
        long written;
        try (InputStream in = progress.counting(checked)) {
            written = toStdout ? in.transferTo(out()) : save(in, target);
        } catch (DownloadStream.BrokenOff e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "the download of " + remote + " broke off: "
                    + e.getCause().getMessage());
        } catch (ContentCheck.Mismatch e) {
            throw new CliException(ExitCodes.UNAVAILABLE, remote + ": " + e.getMessage());
        } finally {
            progress.finish();
        }
        if (json) {
            printJson(JSON.createObjectNode().put("path", "/" + RemoteListing.normalize(remote))
                    .put("local", toStdout ? "-" : target.toString()).put("size", written).put("sha256", checked.sha256()));
        }
    }

    private Path target() {
        String name = remote.substring(remote.lastIndexOf('/') + 1);
        if (local == null) {
            return Path.of(name);
        }
        Path path = Path.of(local);
        return Files.isDirectory(path) ? path.resolve(name) : path;
    }

    /** The body of a download, whose read failures are told apart from the local disk's write failures. */
    private static final class DownloadStream extends FilterInputStream {
        /** Reading from the gateway failed. */
        static final class BrokenOff extends IOException {
            private static final long serialVersionUID = 1L;

            BrokenOff(IOException cause) {
                super(cause);
            }
        }

        DownloadStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new BrokenOff(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new BrokenOff(e);
            }
        }
    }

    /** Writes {@code in} to the end as {@code target.part}, then renames it to {@code target}; answers its size. */
    private static long save(InputStream in, Path target) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long written;
        try (OutputStream out = Files.newOutputStream(part)) {
            written = in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return written;
    }
}
