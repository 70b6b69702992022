package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.granary.common.ByteSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 port with the command-line tools people already have, from Debian's packages (installed by
 * {@code .ci/run}; a test whose tool is missing is skipped and says so): awscli, rclone and a boto3
 * script. Each moves the same tree of mixed sizes (empty, one byte, across chunk boundaries, 100 MiB,
 * which the tools upload in parts) up, lists it, brings it back down and compares it byte for byte.
 */
class S3CliIT {
    private static final long CHUNK = ByteSize.MIB;

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder().chunkSize(CHUNK).s3().build();

    @TempDir
    static Path work;
    private static Path tree;
    private static Map<String, String> digests;

    @BeforeAll
    static void makeTree() throws IOException {
        tree = Files.createDirectories(work.resolve("tree"));
        write("empty.txt", 0);
        write("one.byte", 1);
        write("a/chunk-minus-one", CHUNK - 1);
        write("a/two-chunks-plus", 2 * CHUNK + 7);
        write("a/b/c/deep.bin", 3 * CHUNK);
        write("a-b/sibling.txt", 10);
        write("big/hundred.bin", 100 * ByteSize.MIB);
        digests = digests(tree);
    }

    private static void write(String name, long size) throws IOException {
        Path file = tree.resolve(name);
        Files.createDirectories(file.getParent());
        try (InputStream in = TestBytes.stream(name.hashCode(), size)) {
            Files.copy(in, file);
        }
    }

    @Test
    void awscliCopiesListsSyncsAndRemovesATree() throws Exception {
        String aws = tool("aws", "awscli");
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", cluster.s3AccessKey(),
                "AWS_SECRET_ACCESS_KEY", cluster.s3SecretKey(), "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_EC2_METADATA_DISABLED", "true", "AWS_CONFIG_FILE", work.resolve("none").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", work.resolve("none").toString());
        String endpoint = cluster.s3Endpoint();
        run(env, aws, "--endpoint-url", endpoint, "s3", "mb", "s3://cli-aws");
        run(env, aws, "--endpoint-url", endpoint, "s3", "cp", "--recursive", tree.toString(), "s3://cli-aws/tree");
        String listing = run(env, aws, "--endpoint-url", endpoint, "s3", "ls", "--recursive", "s3://cli-aws/tree/");
        assertThat(listing).contains("tree/big/hundred.bin", "tree/a/b/c/deep.bin", "tree/empty.txt");

        Path down = work.resolve("aws-down");
        run(env, aws, "--endpoint-url", endpoint, "s3", "sync", "s3://cli-aws/tree", down.toString());
        assertThat(digests(down)).isEqualTo(digests);
        // a second sync has nothing to do
        assertThat(run(env, aws, "--endpoint-url", endpoint, "s3", "sync", tree.toString(), "s3://cli-aws/tree"))
                .doesNotContain("upload:");

        run(env, aws, "--endpoint-url", endpoint, "s3", "rm", "--recursive", "s3://cli-aws/tree");
        assertThat(run(env, aws, "--endpoint-url", endpoint, "s3", "ls", "--recursive", "s3://cli-aws/")).isBlank();
    }

    @Test
    void rcloneCopiesSyncsAndChecksATree() throws Exception {
        String rclone = tool("rclone", "rclone");
        Path config = Files.writeString(work.resolve("rclone.conf"), ""); // the remote is in the environment
        Map<String, String> env = Map.of("RCLONE_CONFIG", config.toString(),
                "RCLONE_CONFIG_GR_TYPE", "s3", "RCLONE_CONFIG_GR_PROVIDER", "Other",
                "RCLONE_CONFIG_GR_ACCESS_KEY_ID", cluster.s3AccessKey(),
                "RCLONE_CONFIG_GR_SECRET_ACCESS_KEY", cluster.s3SecretKey(),
                "RCLONE_CONFIG_GR_ENDPOINT", cluster.s3Endpoint(), "RCLONE_CONFIG_GR_FORCE_PATH_STYLE", "true");
        run(env, rclone, "mkdir", "gr:cli-rclone");
        run(env, rclone, "copy", tree.toString(), "gr:cli-rclone/tree");
        run(env, rclone, "check", tree.toString(), "gr:cli-rclone/tree");
        Path down = work.resolve("rclone-down");
        run(env, rclone, "sync", "gr:cli-rclone/tree", down.toString());
        assertThat(digests(down)).isEqualTo(digests);
        run(env, rclone, "purge", "gr:cli-rclone/tree");
        assertThat(run(env, rclone, "lsf", "-R", "gr:cli-rclone")).isBlank();
    }

    @Test
    void aBoto3ScriptUploadsListsAndDownloadsATree() throws Exception {
        String python = tool("python3", "python3-boto3");
        assumeTrue(exitCode(Map.of(), python, "-c", "import boto3") == 0,
                "python3-boto3 is not installed: .ci/run installs it from Debian; skipping the boto3 test");
        Path script = work.resolve("boto3-tree.py");
        Files.writeString(script, """
                import os, sys, boto3
                from boto3.s3.transfer import TransferConfig
                endpoint, tree, down = sys.argv[1], sys.argv[2], sys.argv[3]
                s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                                  aws_access_key_id=os.environ["KEY"], aws_secret_access_key=os.environ["SECRET"])
                s3.create_bucket(Bucket="cli-boto3")
                config = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024)
                for root, _, files in os.walk(tree):
                    for name in files:
                        path = os.path.join(root, name)
                        s3.upload_file(path, "cli-boto3", os.path.relpath(path, tree), Config=config)
                keys = []
                for page in s3.get_paginator("list_objects_v2").paginate(Bucket="cli-boto3", PaginationConfig={"PageSize": 2}):
                    keys += [o["Key"] for o in page.get("Contents", [])]
                assert keys == sorted(keys, key=lambda k: k.encode()), keys
                for key in keys:
                    target = os.path.join(down, key)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    s3.download_file("cli-boto3", key, target, Config=config)
                print(len(keys))
                """);
        Path down = work.resolve("boto3-down");
        String out = run(Map.of("KEY", cluster.s3AccessKey(), "SECRET", cluster.s3SecretKey()), python,
                script.toString(), cluster.s3Endpoint(), tree.toString(), down.toString());
        assertThat(out.trim()).isEqualTo(Integer.toString(digests.size()));
        assertThat(digests(down)).isEqualTo(digests);
    }

    /** The tool's path; skips the test, saying why, when it is not installed. */
    private static String tool(String command, String debianPackage) {
        for (String dir : new String[] {"/usr/bin", "/usr/local/bin"}) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command).toString();
            }
        }
        assumeTrue(false, command + " is not installed (Debian package " + debianPackage
                + ", which .ci/run installs): skipping its S3 test");
        return command;
    }

    private static String run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // plain HTTP on loopback: a CA bundle of the machine's only makes some tools refuse to start
        builder.environment().remove("AWS_CA_BUNDLE");
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s exited with\n%s", List.of(command), text).isZero();
        return text;
    }

    private static int exitCode(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }

    /** Relative path → SHA-256 of every file below {@code root}. */
    private static Map<String, String> digests(Path root) throws IOException {
        Map<String, String> result = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
                result.put(root.relativize(file).toString(), HexFormat.of().formatHex(sha.digest()));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return result;
    }
}
