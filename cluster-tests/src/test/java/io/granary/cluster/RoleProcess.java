package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.BoundedJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * One role of the built {@code granary.jar} ({@code master}, {@code chunkserver}, {@code gateway}), or an
 * operator's command ({@code admin backup}), in a JVM of its own with the bounded options of
 * {@link BoundedJvm}, for tests that kill or pause a node as the operating system would ({@code kill -9},
 * SIGSTOP), or run a command as an operator would. Its output is kept and echoed as
 * {@code [name] …}. Closing it stops the process, forcibly after 10 s.
 */
final class RoleProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread pump;

    private RoleProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        pump = new Thread(this::pumpOutput, name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code granary role args…} with {@code environment} added to the bounded JVM's; {@code role}
     * may be a command such as {@code admin}, its subcommand the first of {@code args}.
     */
    static RoleProcess start(String name, String role, Map<String, String> environment, List<String> args)
            throws IOException {
        Path jar = Path.of("..", "launcher", "target", "granary.jar").toAbsolutePath().normalize();
        assertThat(jar).as("built by the package phase").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(BoundedJvm.OPTIONS);
        command.addAll(List.of("-jar", jar.toString(), role));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(BoundedJvm.ENVIRONMENT);
        builder.environment().putAll(environment);
        return new RoleProcess(name, builder.start());
    }

    /** Waits until the process printed a line matching {@code line}; fails when it exits first. */
    void awaitOutput(Pattern line, Duration atMost) {
        Awaitility.await(name + " to print " + line).atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    assertThat(process.isAlive() || printed(line)).as(name + " exited").isTrue();
                    return printed(line);
                });
    }

    /**
     * Waits for a process that ends by itself ({@code admin backup}, {@code admin restore}) and for its
     * last line of output, and answers its exit code; fails when it is still running after {@code atMost}.
     */
    int awaitExit(Duration atMost) throws InterruptedException {
        assertThat(process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)).as(name + " to exit").isTrue();
        pump.join(TimeUnit.SECONDS.toMillis(10)); // the output ends with the process; the pump reads it to the end
        return process.exitValue();
    }

    /** Whether the process printed a line matching {@code line} so far. */
    boolean printed(Pattern line) {
        return output.stream().anyMatch(l -> line.matcher(l).find());
    }

    /** Sends a signal ({@code KILL}, {@code STOP}, {@code CONT}) as {@code kill -SIGNAL pid} would. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal + " " + name).isZero();
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is released. */
    void killNow() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    private void pumpOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                output.add(line);
                System.out.println("[" + name + "] " + line);
            }
        } catch (IOException e) {
            output.add("(output lost: " + e + ")");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            try {
                signal("CONT"); // a paused process cannot act on SIGTERM
            } catch (IOException e) {
                // it is gone already
            }
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
