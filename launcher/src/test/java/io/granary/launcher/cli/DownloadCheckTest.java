package io.granary.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.granary.launcher.Granary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads ({@code granary get}, {@code cat}, and {@code cp}/{@code mirror} into a local tree) check
 * the bytes they received against the SHA-256 the gateway's {@code ETag} names: a file takes its name
 * only when they match, and {@code cat} fails before its next file.
 * The server here stands for whatever may sit between the gateway and the client and damage a stream
 * (a proxy, a cache): it answers with chosen bytes and tag.
 */
class DownloadCheckTest {
    private static final byte[] CONTENT = "the file's own bytes\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void bytesThatAreNotTheFilesNamedByTheEtagAreExitCode4AndLeaveNoFile() throws IOException {
        String gateway = serve("damaged bytes, same length\n".getBytes(StandardCharsets.UTF_8), sha256(CONTENT));
        Path target = dir.resolve("f.txt");

        Result result = get(gateway, "f.txt", target.toString());

        assertThat(result.code()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(result.err()).contains("are not the file's").contains(sha256(CONTENT));
        assertThat(target).doesNotExist();
        assertThat(dir.resolve("f.txt.part")).doesNotExist();
    }

    @Test
    void bytesMatchingTheEtagAreSavedAndDescribedAsJson() throws IOException {
        String gateway = serve(CONTENT, sha256(CONTENT));
        Path target = dir.resolve("f.txt");

        Result result = get(gateway, "--json", "dir/f.txt", target.toString());

        assertThat(result.code()).isZero();
        assertThat(target).hasBinaryContent(CONTENT);
        JsonNode json = CliCommand.JSON.readTree(result.out());
        assertThat(json.get("path").asText()).isEqualTo("/dir/f.txt");
        assertThat(json.get("size").asLong()).isEqualTo(CONTENT.length);
        assertThat(json.get("sha256").asText()).isEqualTo(sha256(CONTENT));
    }

    @Test
    void catOfBytesThatAreNotTheFilesIsExitCode4() throws IOException {
        String gateway = serve("damaged bytes, same length\n".getBytes(StandardCharsets.UTF_8), sha256(CONTENT));

        Result result = run("cat", gateway, "f.txt", "f.txt");

        assertThat(result.code()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(result.err()).contains("are not the file's");
        assertThat(result.out()).as("stops before the next file").isEqualTo("damaged bytes, same length\n");
    }

    @Test
    void aTreeDownloadWithBytesThatAreNotTheFilesFailsAndLeavesNoFile() {
        HttpHeaders headers = HttpHeaders.of(Map.of("ETag", List.of("\"" + sha256(CONTENT) + "\"")), (n, v) -> true);
        ContentCheck damaged = new ContentCheck(new ByteArrayInputStream("damaged".getBytes(StandardCharsets.UTF_8)),
                headers);

        assertThatThrownBy(() -> new LocalTree(dir).write("sub/f.txt", 7, damaged))
                .isInstanceOf(ContentCheck.Mismatch.class);
        assertThat(dir.resolve("sub/f.txt")).doesNotExist();
        assertThat(dir.resolve("sub/f.txt.part")).doesNotExist();
    }

    @Test
    void onlyAQuotedHexDigestIsTakenForTheFilesSha256() {
        String hex = sha256(CONTENT);
        assertThat(ContentCheck.sha256Of(Optional.of("\"" + hex + "\""))).contains(hex);
        assertThat(ContentCheck.sha256Of(Optional.of(hex))).isEmpty();
        assertThat(ContentCheck.sha256Of(Optional.of("\"d41d8cd98f00b204e9800998ecf8427e-2\""))).isEmpty();
        assertThat(ContentCheck.sha256Of(Optional.of("\""))).isEmpty();
        assertThat(ContentCheck.sha256Of(Optional.empty())).isEmpty();
    }

    private record Result(int code, String out, String err) {
    }

    private Result get(String gateway, String... args) {
        return run("get", gateway, args);
    }

    private Result run(String command, String gateway, String... args) {
        var cli = Granary.commandLine();
        String[] all = new String[args.length + 2];
        all[0] = command;
        all[1] = "--gateway=" + gateway;
        System.arraycopy(args, 0, all, 2, args.length);
        StringWriter err = new StringWriter();
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(all);
            return new Result(code, captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    private String serve(byte[] body, String etagSha256) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/files/", exchange -> {
            exchange.getResponseHeaders().add("ETag", "\"" + etagSha256 + "\"");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(Sha256.newDigest().digest(bytes));
    }
}
