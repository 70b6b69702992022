package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.common.ByteSize;
import io.granary.launcher.Granary;
import io.granary.launcher.cli.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line client against a real cluster (Redis, master, three chunkservers, gateway on
 * loopback): files round-trip byte for byte, and every failure has its documented exit code and one
 * clear line on stderr. Content is checked by SHA-256 against what was sent.
 */
class CliIT {
    static final long CHUNK = ByteSize.MIB;

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkSize(CHUNK).build();
    @TempDir
    static Path dir;
    static final ObjectMapper json = new ObjectMapper();

    record Run(int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code granary <args>} in this JVM against the cluster's gateway, capturing both outputs. */
    static Run granary(String... args) {
        return granaryAt(cluster.gatewayUrl(), args);
    }

    static synchronized Run granaryAt(String gateway, String... args) {
        return granaryAs(gateway, cluster.adminToken(), args);
    }

    /**
     * Runs {@code granary <args>} with {@code token} (none when null). The gateway and the token go
     * right after the command's name, one word ({@code put}) or more ({@code admin decommission}).
     */
    static synchronized Run granaryAs(String gateway, String token, String... args) {
        var cli = Granary.commandLine();
        int nameWords = 0;
        for (var command = cli; nameWords < args.length && command.getSubcommands().containsKey(args[nameWords]); ) {
            command = command.getSubcommands().get(args[nameWords++]);
        }
        List<String> withGateway = new ArrayList<>(Arrays.asList(args));
        withGateway.add(nameWords, "--gateway=" + gateway);
        if (token != null) {
            withGateway.add(nameWords + 1, "--token=" + token);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true));
        try {
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(withGateway.toArray(String[]::new));
            System.out.flush();
            return new Run(code, out.toByteArray(), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    static Path localFile(String name, long seed, long size) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = TestBytes.stream(seed, size)) {
            Files.copy(in, file);
        }
        return file;
    }

    static String sha256(Path file) throws IOException {
        TestBytes.Sha256Sink sink = new TestBytes.Sha256Sink();
        Files.copy(file, sink);
        return sink.hex();
    }

    @Test
    void putThenGetRoundTripsByteForByte() throws IOException {
        long size = 3 * CHUNK + CHUNK / 2 + 7;
        Path source = localFile("movie.bin", 1, size);

        Run put = granary("put", source.toString(), "cli/videos/movie.bin");
        Path copy = dir.resolve("copy.bin");
        Run get = granary("get", "cli/videos/movie.bin", copy.toString());

        assertThat(put.exitCode()).as(put.stderr()).isZero();
        assertThat(put.out()).contains("/cli/videos/movie.bin", TestBytes.sha256(1, size));
        assertThat(get.exitCode()).as(get.stderr()).isZero();
        assertThat(copy).hasSize(size);
        assertThat(sha256(copy)).isEqualTo(TestBytes.sha256(1, size));
        assertThat(dir.resolve("copy.bin.part")).doesNotExist();
    }

    /** The installed command: launcher/target/granary, a script with the jar appended, run as its own process. */
    @Test
    void theGranaryExecutableRunsTheCliAsItsOwnProcess() throws Exception {
        Path executable = Path.of("..", "launcher", "target", "granary").toAbsolutePath().normalize();
        assertThat(executable).as("made by the launcher module's package phase").isExecutable();
        long size = CHUNK + 11;
        Path source = localFile("exec.bin", 5, size);
        Path copy = dir.resolve("exec-copy.bin");

        ProcessBuilder put = new ProcessBuilder(executable.toString(), "put", "--gateway=" + cluster.gatewayUrl(),
                source.toString(), "cli/exec.bin");
        ProcessBuilder get = new ProcessBuilder(executable.toString(), "get", "--gateway=" + cluster.gatewayUrl(),
                "cli/exec.bin", copy.toString());
        ProcessBuilder unknown = new ProcessBuilder(executable.toString(), "no-such-command");
        for (ProcessBuilder process : List.of(put, get, unknown)) {
            process.environment().put("GRANARY_TOKEN", cluster.adminToken());
            process.redirectErrorStream(true).redirectOutput(dir.resolve("exec.log").toFile());
        }

        assertThat(exitCode(put)).as(Files.readString(dir.resolve("exec.log"))).isZero();
        assertThat(exitCode(get)).as(Files.readString(dir.resolve("exec.log"))).isZero();
        assertThat(sha256(copy)).isEqualTo(TestBytes.sha256(5, size));
        assertThat(exitCode(unknown)).isEqualTo(ExitCodes.USAGE);
    }

    /** Runs the process to its end, or kills it after two minutes. */
    private static int exitCode(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("still running after two minutes: " + builder.command());
        }
        return process.exitValue();
    }

    @Test
    void anEmptyFileRoundTripsAndGetIntoADirectoryKeepsTheRemoteName() throws IOException {
        Path empty = localFile("empty.txt", 2, 0);
        Path into = Files.createDirectories(dir.resolve("downloads"));

        assertThat(granary("put", empty.toString(), "cli/empty.txt").exitCode()).isZero();
        assertThat(granary("get", "cli/empty.txt", into.toString()).exitCode()).isZero();

        assertThat(into.resolve("empty.txt")).exists().isEmptyFile();
    }

    @Test
    void catWritesFilesToStdoutOneAfterTheOther() throws IOException {
        granary("put", localFile("a.txt", 3, 1000).toString(), "cli/cat/a.txt");
        granary("put", localFile("b.txt", 4, CHUNK + 1).toString(), "cli/cat/b.txt");

        Run cat = granary("cat", "cli/cat/a.txt", "cli/cat/b.txt");

        assertThat(cat.exitCode()).as(cat.stderr()).isZero();
        byte[] expected = new byte[(int) (1000 + CHUNK + 1)];
        System.arraycopy(TestBytes.slice(3, 0, 1000), 0, expected, 0, 1000);
        System.arraycopy(TestBytes.slice(4, 0, (int) CHUNK + 1), 0, expected, 1000, (int) CHUNK + 1);
        assertThat(cat.stdout()).isEqualTo(expected);
    }

    @Test
    void getToStdoutStreamsTheContent() throws IOException {
        granary("put", localFile("stdout.bin", 5, 4321).toString(), "cli/stdout.bin");

        Run get = granary("get", "cli/stdout.bin", "-");

        assertThat(get.exitCode()).isZero();
        assertThat(get.stdout()).isEqualTo(TestBytes.slice(5, 0, 4321));
    }

    @Test
    void statJsonDescribesTheFileAndItsChunks() throws IOException {
        long size = 2 * CHUNK + 5;
        granary("put", localFile("stat.bin", 6, size).toString(), "cli/stat.bin", "--content-type", "video/mp4");

        Run stat = granary("stat", "--json", "cli/stat.bin");

        assertThat(stat.exitCode()).as(stat.stderr()).isZero();
        JsonNode file = json.readTree(stat.stdout());
        assertThat(file.get("path").asText()).isEqualTo("/cli/stat.bin");
        assertThat(file.get("type").asText()).isEqualTo("file");
        assertThat(file.get("size").asLong()).isEqualTo(size);
        assertThat(file.get("sha256").asText()).isEqualTo(TestBytes.sha256(6, size));
        assertThat(file.get("contentType").asText()).isEqualTo("video/mp4");
        assertThat(file.get("chunks")).hasSize(3);
        assertThat(granary("stat", "cli/stat.bin").out()).contains("size", Long.toString(size), "chunk 2");
    }

    @Test
    void rmDeletesAndASecondRmIsNotFound() throws IOException {
        granary("put", localFile("rm.bin", 7, 100).toString(), "cli/rm.bin");

        Run rm = granary("rm", "cli/rm.bin");
        Run statAfter = granary("stat", "cli/rm.bin");
        Run again = granary("rm", "cli/rm.bin");

        assertThat(rm.exitCode()).as(rm.stderr()).isZero();
        assertThat(statAfter.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(again.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(again.stderr()).startsWith("granary rm: ").contains("cli/rm.bin");
    }

    @Test
    void aMissingFileIsExitCode2AndLeavesNoLocalFile() {
        Path target = dir.resolve("never.bin");

        Run get = granary("get", "cli/no/such/file.bin", target.toString());
        Run cat = granary("cat", "cli/no/such/file.bin");
        Run stat = granary("stat", "--json", "cli/no/such/file.bin");

        assertThat(get.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(get.stderr()).startsWith("granary get: ").contains("404", "no/such/file.bin");
        assertThat(target).doesNotExist();
        assertThat(dir.resolve("never.bin.part")).doesNotExist();
        assertThat(cat.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cat.stdout()).isEmpty();
        assertThat(stat.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void aGatewayThatIsDownIsExitCode4() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        String down = "http://127.0.0.1:" + port;

        for (String[] args : List.of(new String[] {"cat", "x"}, new String[] {"stat", "x"},
                new String[] {"put", localFile("down.bin", 8, 10).toString(), "x"},
                new String[] {"cluster"}, new String[] {"ls"})) {
            Run run = granaryAt(down, args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(run.stderr()).contains("cannot reach the gateway at " + down);
        }
    }

    @Test
    void withoutATokenOrWithTooLowARoleItIsExitCode5() throws IOException {
        String reader = cluster.client().createToken("cli-reader", "reader", java.time.Duration.ZERO).secret();
        Path local = localFile("auth.bin", 12, 10);

        Run anonymous = granaryAs(cluster.gatewayUrl(), null, "stat", "x");
        Run tooLow = granaryAs(cluster.gatewayUrl(), reader, "put", local.toString(), "auth/denied.bin");

        assertThat(anonymous.exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(anonymous.stderr()).contains("401").contains("needs a token");
        assertThat(tooLow.exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(tooLow.stderr()).contains("403").contains("needs the role writer");
        assertThat(granary("stat", "auth/denied.bin").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void badArgumentsAndABadPathAreExitCode1() {
        Run missingArgument = granary("put", "only-one");
        Run noLocalFile = granary("put", dir.resolve("absent.bin").toString(), "cli/x");
        Run badPath = granary("cat", "cli/a/../b");
        Run badGateway = granaryAt("ftp://example", "cluster");

        assertThat(missingArgument.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missingArgument.stderr()).contains("Missing required parameter");
        assertThat(noLocalFile.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noLocalFile.stderr()).contains("no such local file");
        assertThat(badPath.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badPath.stderr()).contains("400");
        assertThat(badGateway.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void moreReplicasThanLiveChunkServersIsTheGateways503AndExitCode4() throws IOException {
        Run put = granary("put", localFile("five.bin", 9, 10).toString(), "cli/five.bin", "--replication", "5");

        assertThat(put.exitCode()).as(put.stderr()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(put.stderr()).contains("503");
    }

    @Test
    void clusterJsonListsTheChunkServers() throws IOException {
        Run run = granary("cluster", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode view = json.readTree(run.stdout());
        assertThat(view.get("chunkservers")).hasSize(3);
        assertThat(granary("cluster").out()).contains("chunkserver-1", "under-replicated chunks 0");
    }

    /** The check the compose health checks run, against each role of the live cluster and a dead port. */
    @Test
    void theHealthCommandOfTheContainersSeesEachRoleAndADeadPort() throws IOException {
        int dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = socket.getLocalPort();
        }

        assertThat(health("--url", cluster.gatewayUrl() + "/health/ready")).isZero();
        assertThat(health("--master", cluster.masterAddress())).isZero();
        assertThat(health("--tcp", cluster.chunkServer(0).address())).isZero();
        assertThat(health("--url", "http://127.0.0.1:" + dead + "/health/ready")).isEqualTo(1);
        assertThat(health("--tcp", "127.0.0.1:" + dead)).isEqualTo(1);
        assertThat(health("--master", "127.0.0.1:" + dead, "--timeout", "1s")).isEqualTo(1);
    }

    static int health(String... args) {
        List<String> all = new ArrayList<>(List.of("health"));
        all.addAll(Arrays.asList(args));
        var cli = Granary.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(new StringWriter()));
        return cli.execute(all.toArray(String[]::new));
    }

    @Test
    void mkdirMakesParentsAndLsListsThePagesInOrder() throws IOException {
        Run mkdir = granary("mkdir", "--json", "cli/dirs/a/sub");
        assertThat(mkdir.exitCode()).as(mkdir.stderr()).isZero();
        assertThat(json.readTree(mkdir.stdout()).get("path").asText()).isEqualTo("/cli/dirs/a/sub");
        assertThat(granary("mkdir", "cli/dirs/a/sub").exitCode()).as("already there").isZero();
        granary("put", localFile("f1.bin", 11, 10).toString(), "cli/dirs/a/f1.bin");
        granary("put", localFile("f2.bin", 12, 2000).toString(), "cli/dirs/a/f2.bin");

        Run all = granary("ls", "--json", "cli/dirs/a");
        Run paged = granary("ls", "--json", "--page-size", "1", "cli/dirs/a");
        Run human = granary("ls", "cli/dirs/a");

        assertThat(all.exitCode()).as(all.stderr()).isZero();
        JsonNode entries = json.readTree(all.stdout());
        assertThat(entries).hasSize(3);
        assertThat(entries.findValuesAsText("name")).containsExactly("f1.bin", "f2.bin", "sub");
        assertThat(entries.get(1).get("size").asLong()).isEqualTo(2000);
        assertThat(entries.get(2).get("type").asText()).isEqualTo("directory");
        assertThat(paged.exitCode()).isZero();
        assertThat(json.readTree(paged.stdout())).isEqualTo(entries);
        assertThat(human.out()).contains("f1.bin", "f2.bin", "sub/");
        assertThat(json.readTree(granary("ls", "--json", "cli/dirs/a/sub").stdout())).isEmpty();
    }

    @Test
    void lsOfNothingIsNotFoundAndOfAFileIsAConflict() throws IOException {
        granary("put", localFile("lsfile.bin", 13, 10).toString(), "cli/lsfile.bin");

        Run missing = granary("ls", "cli/no/such/dir");
        Run file = granary("ls", "cli/lsfile.bin");
        Run mkdirOverFile = granary("mkdir", "cli/lsfile.bin");

        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.stderr()).startsWith("granary ls: GET /api/v1/dirs/cli/no/such/dir: HTTP 404");
        assertThat(file.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(mkdirOverFile.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    }

    @Test
    void mvRefusesAnExistingTargetUnlessOverwriteAndMovesTheContent() throws IOException {
        granary("put", localFile("mv1.bin", 14, 3000).toString(), "cli/mv/one.bin");
        granary("put", localFile("mv2.bin", 15, 10).toString(), "cli/mv/two.bin");

        Run refused = granary("mv", "cli/mv/one.bin", "cli/mv/two.bin");
        Run overwrite = granary("mv", "--overwrite", "--json", "cli/mv/one.bin", "cli/mv/two.bin");
        Run missing = granary("mv", "cli/mv/one.bin", "cli/mv/three.bin");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(refused.stderr()).startsWith("granary mv: POST /api/v1/rename: HTTP 409");
        assertThat(overwrite.exitCode()).as(overwrite.stderr()).isZero();
        assertThat(json.readTree(overwrite.stdout()).get("path").asText()).isEqualTo("/cli/mv/two.bin");
        assertThat(json.readTree(overwrite.stdout()).get("size").asLong()).isEqualTo(3000);
        assertThat(granary("cat", "cli/mv/two.bin").stdout()).isEqualTo(TestBytes.slice(14, 0, 3000));
        assertThat(granary("stat", "cli/mv/one.bin").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void duAddsUpBytesAndFilesUnderADirectoryAcrossListingPages() throws IOException {
        long[] sizes = {CHUNK + 3, 10, 2 * CHUNK};
        assertThat(granary("put", localFile("du-a", 21, sizes[0]).toString(), "cli-du/a.bin").exitCode()).isZero();
        assertThat(granary("put", localFile("du-b", 22, sizes[1]).toString(), "cli-du/sub/b.bin").exitCode()).isZero();
        assertThat(granary("put", localFile("du-c", 23, sizes[2]).toString(), "cli-du/sub/deeper/c.bin").exitCode())
                .isZero();
        long total = sizes[0] + sizes[1] + sizes[2];

        Run du = granary("du", "--json", "--page-size=1", "cli-du");
        Run summary = granary("du", "-s", "cli-du");
        Run human = granary("du", "-h", "cli-du");

        assertThat(du.exitCode()).as(du.stderr()).isZero();
        JsonNode answer = json.readTree(du.stdout());
        assertThat(answer.path("size").asLong()).isEqualTo(total);
        assertThat(answer.path("files").asLong()).isEqualTo(3);
        assertThat(answer.path("entries")).hasSize(2);
        assertThat(answer.path("entries").get(1).path("name").asText()).isEqualTo("sub");
        assertThat(answer.path("entries").get(1).path("size").asLong()).isEqualTo(sizes[1] + sizes[2]);
        assertThat(answer.path("entries").get(1).path("files").asLong()).isEqualTo(2);
        assertThat(summary.exitCode()).isZero();
        assertThat(summary.out().trim()).matches(total + "\\s+3\\s+/cli-du");
        assertThat(human.out()).contains("MiB", "sub/");
    }

    @Test
    void duOfNothingIsNotFound() {
        Run du = granary("du", "cli-du-nothing-here");

        assertThat(du.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(du.stderr()).startsWith("granary du: ");
    }

    @Test
    void fsckOfAHealthyClusterExitsZeroAndSaysSo() throws IOException {
        Run fsck = granary("fsck");
        Run asJson = granary("fsck", "--json");

        assertThat(fsck.exitCode()).as(fsck.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(fsck.out()).contains("healthy");
        assertThat(asJson.exitCode()).isZero();
        assertThat(json.readTree(asJson.stdout()).path("healthy").asBoolean()).isTrue();
    }

    @Test
    void fsckAgainstAGatewayThatIsDownIsUnavailable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        Run fsck = granaryAt("http://127.0.0.1:" + port, "fsck");

        assertThat(fsck.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    }
}
