package io.granary.gateway.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.granary.gateway.testing.GatewayFixture;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served OpenAPI document passes Redocly's linter (its recommended rules, and the repository's
 * {@code redocly.yaml}). The linter is the one {@code .ci/package.json} pins, installed by
 * {@code .ci/run} ({@code npm ci --prefix .ci}); without it the test is skipped and says why.
 */
class ApiLintTest {
    /** Linting a document of this size takes a few seconds; this only ends a linter that hangs. */
    private static final long LINT_DEADLINE_SECONDS = 120;
    @RegisterExtension
    final GatewayFixture gateway = new GatewayFixture();

    @Test
    void theServedDocumentHasNoLintErrors(@TempDir Path dir) throws Exception {
        Path root = repositoryRoot();
        Path redocly = root.resolve(".ci/node_modules/.bin/redocly");
        assumeTrue(Files.isExecutable(redocly), "the OpenAPI linter is not installed: run npm ci --prefix .ci");
        Path spec = dir.resolve("openapi.json");
        gateway.test((server, http) -> Files.writeString(spec, http.get(ApiDocs.OPENAPI_PATH).body().string()));
        Path report = dir.resolve("lint.txt");

        List<String> command = new ArrayList<>(List.of(redocly.toString(), "lint", "--format=stylish"));
        Path config = root.resolve("redocly.yaml");
        if (Files.exists(config)) {
            command.add("--config=" + config);
        }
        command.add(spec.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(report.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // a test run is offline and private: no usage report, no update check
        builder.environment().put("REDOCLY_TELEMETRY", "off");
        builder.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process lint = builder.start();
        boolean ended = lint.waitFor(LINT_DEADLINE_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            lint.destroyForcibly();
        }
        String output = Files.readString(report, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(ended).as("redocly lint ended within " + LINT_DEADLINE_SECONDS + " s").isTrue();
        assertThat(lint.exitValue()).as("redocly lint found errors:\n" + output).isZero();
    }

    /** The directory that holds {@code .ci}: the module's parent when Maven runs the test. */
    private static Path repositoryRoot() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".ci"))) {
                return dir;
            }
        }
        throw new IOException("no .ci directory above " + Path.of("").toAbsolutePath());
    }
}
