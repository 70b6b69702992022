package io.granary.launcher.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code granary get REMOTE [LOCAL]}: downloads a file, streamed. It is written beside its target as
 * {@code LOCAL.part} and renamed only when complete and its SHA-256, computed as the bytes arrive, is
 * the one the gateway names in the {@code ETag}; so an interrupted or damaged download never looks
 * whole. A failure to write locally is exit code 1; the gateway's stream breaking off, or bytes that
 * are not the file's, 4.
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
        Optional<String> expected = sha256Of(response.headers().firstValue("ETag"));
        Progress progress = new Progress(err(), "get " + remote, size, !toStdout && !noProgress && !json
                && Progress.interactive());
        MessageDigest digest = Sha256.newDigest();
        Path target = toStdout ? null : target();
        long written;
        try (InputStream in = new DigestInputStream(progress.counting(new DownloadStream(response.body())), digest)) {
            written = toStdout ? in.transferTo(out()) : save(in, target, () -> check(expected, digest));
        } catch (DownloadStream.BrokenOff e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "the download of " + remote + " broke off: "
                    + e.getCause().getMessage());
        } finally {
            progress.finish();
        }
        if (toStdout) {
            check(expected, digest);
        }
        if (json) {
            printJson(JSON.createObjectNode().put("path", "/" + RemoteListing.normalize(remote))
                    .put("local", toStdout ? "-" : target.toString()).put("size", written)
                    .put("sha256", Sha256.hexSoFar(digest)));
        }
    }

    /** The SHA-256 an {@code ETag} names (the gateway's is the quoted hex digest); empty for any other tag. */
    static Optional<String> sha256Of(Optional<String> etag) {
        return etag.filter(t -> t.length() > 2 && t.startsWith("\"") && t.endsWith("\""))
                .map(t -> t.substring(1, t.length() - 1)).filter(Sha256::isHex);
    }

    /** Fails the download when its bytes are not those the gateway's ETag names. */
    private void check(Optional<String> expected, MessageDigest digest) {
        String actual = Sha256.hexSoFar(digest);
        if (expected.isPresent() && !expected.get().equals(actual)) {
            throw new CliException(ExitCodes.UNAVAILABLE, "the bytes received for " + remote + " are not the file's: "
                    + "their SHA-256 is " + actual + ", the gateway's ETag names " + expected.get());
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

    /**
     * Writes {@code in} to {@code target.part} and, once {@code verification} passes, renames it to
     * {@code target}; answers its size. On any failure the part file is deleted.
     */
    private static long save(InputStream in, Path target, Runnable verification) throws IOException {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long written;
        try (OutputStream out = Files.newOutputStream(part)) {
            written = in.transferTo(out);
            verification.run();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return written;
    }
}
