package io.granary.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One compose project of the real {@code docker-compose.yml}, driven through the {@code docker compose}
 * CLI as a user would drive it (no helper containers, so no image registry is needed). Every command
 * has a deadline; its output goes to a log file under {@code target/} and is quoted when it fails.
 * Not thread-safe: one test class drives it.
 */
final class ComposeProject implements AutoCloseable {
    /** An engine that answers within this is there; one that does not is taken as absent. */
    private static final Duration PROBE_DEADLINE = Duration.ofSeconds(30);
    private static final int TAIL_CHARS = 4000;

    private final Path file;
    private final String name;
    private final Map<String, String> env;
    private final Path log;

    ComposeProject(Path file, String name, Map<String, String> env) throws IOException {
        this.file = file;
        this.name = name;
        this.env = Map.copyOf(env);
        this.log = Files.createDirectories(Path.of("target", "compose")).resolve(name + ".log");
    }

    /** Why compose cannot run here (no docker CLI, no engine answering, no compose v2), or empty when it can. */
    static Optional<String> unavailable() {
        for (List<String> probe : List.of(List.of("docker", "info"), List.of("docker", "compose", "version"))) {
            try {
                Process p = new ProcessBuilder(probe).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(PROBE_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.of("'" + String.join(" ", probe) + "' did not answer within " + PROBE_DEADLINE);
                }
                if (p.exitValue() != 0) {
                    return Optional.of("'" + String.join(" ", probe) + "' failed (exit " + p.exitValue() + ")");
                }
            } catch (IOException e) {
                return Optional.of("no docker command: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code docker compose -p NAME -f FILE args…} and waits for it.
     *
     * @throws IllegalStateException when it fails or outlives {@code deadline}, with the end of its output
     */
    void run(Duration deadline, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker", "compose", "-p", name, "-f", file.toString()));
        command.addAll(List.of(args));
        exec(deadline, command);
    }

    /** Kills replica {@code index} (from 1) of {@code service} as {@code docker kill} does: SIGKILL, no restart. */
    void kill(String service, int index) throws IOException, InterruptedException {
        exec(PROBE_DEADLINE, List.of("docker", "kill", name + "-" + service + "-" + index));
    }

    private void exec(Duration deadline, List<String> command) throws IOException, InterruptedException {
        List<String> args = command.subList(1, command.size());
        Path out = Files.createTempFile(log.getParent(), name, ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(file.getParent().toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        boolean done = process.waitFor(deadline.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly().waitFor(PROBE_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.writeString(log, "$ " + String.join(" ", args) + "\n" + output, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Files.delete(out);
        if (!done || process.exitValue() != 0) {
            throw new IllegalStateException("docker " + String.join(" ", args)
                    + (done ? " failed (exit " + process.exitValue() + ")" : " did not end within " + deadline)
                    + ":\n" + output.substring(Math.max(0, output.length() - TAIL_CHARS)));
        }
    }

    /** Removes the containers, the network and the volumes: all the project's data. */
    @Override
    public void close() throws IOException, InterruptedException {
        run(Duration.ofMinutes(2), "down", "-v", "--timeout", "10");
    }
}
