package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.client.NewToken;
import io.granary.common.meta.FileMeta;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client library as someone else's program uses it: a separate Maven project whose only
 * dependency is {@code io.granary:granary-client}, and whose {@code Main} is the README's Java example,
 * taken from README.md itself (so the README cannot show code that does not compile or work), is built
 * offline against this build's artifacts and run against a real cluster with a writer token.
 *
 * <p>The artifacts come from the local repository the build uses, as {@code mvn install} of proto,
 * common and client (and the parent pom) leaves them there. {@code mvn verify} installs nothing, so
 * the test installs them itself first, from what this build packaged: each module's jar from its
 * {@code target} and its pom as it is (Granary's poms are installed unchanged), exactly the files
 * {@code install} would copy. It fails, saying so, when a jar was not packaged.
 */
class JavaClientProjectIT {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final List<String> LIBRARY_MODULES = List.of("proto", "common", "client");
    private static final Duration BUILD_LIMIT = Duration.ofMinutes(5);

    @RegisterExtension
    static final MiniGranary cluster = MiniGranary.builder()
            .replication(2)
            .chunkservers(2)
            .chunkSize(64 * 1024)
            .build();

    @TempDir
    Path dir;

    @Test
    void theReadmeExampleBuildsAgainstTheInstalledClientAndUploadsAsTheTokensPrincipal() throws Exception {
        Path root = Path.of(property("granary.root")).toRealPath();
        Path repo = Path.of(property("granary.maven.repo"));
        String version = property("granary.version");
        install(root, repo, version);
        Path project = sampleProject(root, version);

        String classpath = buildAndResolve(project, repo);

        assertThat(classpath).contains("granary-client-" + version + ".jar", "grpc-netty-shaded", "slf4j-api");
        assertThat(classpath).as("the dependencies a program of the client library gets")
                .doesNotContain("prometheus", "micrometer", "logback", "log4j", "lettuce", "javalin", "jetty",
                        "embedded-redis", "granary-master", "granary-chunkserver", "granary-gateway");

        NewToken writer = cluster.client().createToken("readme-example", "writer", Duration.ofHours(1));
        Path local = dir.resolve("sample.bin");
        byte[] content = TestBytes.slice(11, 0, 200_000);
        Files.write(local, content);
        ProcessBuilder example = new ProcessBuilder(java(), "-cp", project.resolve("target/classes")
                + File.pathSeparator + classpath, "Main", cluster.masterAddress(), local.toString())
                .redirectErrorStream(true).directory(project.toFile());
        example.environment().put("GRANARY_TOKEN", writer.secret());
        String output = finish(example.start(), "the README example");

        assertThat(output).contains("uploads/sample.bin: 200000 bytes");
        assertThat(Files.readAllBytes(dir.resolve("sample.bin.copy"))).isEqualTo(content);
        FileMeta stored = cluster.client().stat("uploads/sample.bin");
        assertThat(stored.owner()).isEqualTo(writer.meta().id());
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        cluster.client().download("uploads/sample.bin", 0, -1, back);
        assertThat(back.toByteArray()).isEqualTo(content);
    }

    /** The parent pom, and proto, common and client as this build packaged them, into {@code repo}. */
    private static void install(Path root, Path repo, String version) throws IOException {
        copy(root.resolve("pom.xml"), repo, "granary-parent", version, "pom");
        for (String module : LIBRARY_MODULES) {
            String artifact = "granary-" + module;
            Path jar = root.resolve(module).resolve("target").resolve(artifact + "-" + version + ".jar");
            assertThat(jar).as("the packaged " + module + " jar: run mvn verify (or package) first").exists();
            copy(root.resolve(module).resolve("pom.xml"), repo, artifact, version, "pom");
            copy(jar, repo, artifact, version, "jar");
        }
    }

    private static void copy(Path file, Path repo, String artifact, String version, String extension)
            throws IOException {
        Path target = repo.resolve("io/granary").resolve(artifact).resolve(version)
                .resolve(artifact + "-" + version + "." + extension);
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A project with the template pom and the README's example as {@code src/main/java/Main.java}. */
    private Path sampleProject(Path root, String version) throws IOException {
        Path project = dir.resolve("granary-user");
        Files.createDirectories(project.resolve("src/main/java"));
        String pom;
        try (var in = JavaClientProjectIT.class.getResourceAsStream("/java-client-project/pom.xml")) {
            pom = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(project.resolve("pom.xml"), pom.replace("@granary.version@", version)
                .replace("@resources.version@", property("granary.resources-plugin.version"))
                .replace("@compiler.version@", property("granary.compiler-plugin.version"))
                .replace("@dependency.version@", property("granary.dependency-plugin.version")));
        Files.writeString(project.resolve("src/main/java/Main.java"), readmeExample(root));
        return project;
    }

    /** The README's one Java block that declares {@code public class Main}. */
    static String readmeExample(Path root) throws IOException {
        Matcher block = JAVA_BLOCK.matcher(Files.readString(root.resolve("README.md")));
        List<String> mains = new ArrayList<>();
        while (block.find()) {
            if (block.group(1).contains("public class Main")) {
                mains.add(block.group(1));
            }
        }
        assertThat(mains).as("the README's Java example").hasSize(1);
        return mains.get(0);
    }

    /**
     * Compiles the project and answers its resolved classpath. Not offline: the dependency plugin that
     * reports the classpath is fetched the first time, as a user's build would; everything else is in
     * {@code repo} already.
     */
    private String buildAndResolve(Path project, Path repo) throws Exception {
        Path classpathFile = project.resolve("classpath.txt");
        Process build = new ProcessBuilder(mvn(), "-B", "-ntp", "-q", "-Dmaven.repo.local=" + repo,
                "compile", "dependency:build-classpath", "-Dmdep.outputFile=" + classpathFile)
                .redirectErrorStream(true).directory(project.toFile()).start();
        finish(build, "mvn compile of the sample project");
        return Files.readString(classpathFile).trim();
    }

    private static String finish(Process process, String what) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                process.getInputStream().transferTo(output);
            } catch (IOException ignored) {
                // the process ended; what it printed so far is kept
            }
        });
        drain.start();
        boolean ended = process.waitFor(BUILD_LIMIT.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        drain.join();
        String text = output.toString(StandardCharsets.UTF_8);
        assertThat(ended).as(what + " ended within " + BUILD_LIMIT + ":\n" + text).isTrue();
        assertThat(process.exitValue()).as(what + " succeeded:\n" + text).isZero();
        return text;
    }

    private static String mvn() {
        String home = System.getProperty("granary.maven.home");
        return home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))
                ? Path.of(home, "bin", "mvn").toString() : "mvn";
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        assertThat(value).as("system property " + name + " (set by cluster-tests' failsafe configuration)")
                .isNotBlank();
        return value;
    }
}
