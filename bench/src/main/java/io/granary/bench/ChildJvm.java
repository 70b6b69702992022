package io.granary.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDK child process started from this JVM's own java and classpath (the jar, or the test
 * classpath), with its output copied to a log file. {@link #awaitLine} waits for a line announcing
 * readiness; {@link #close} stops the process and anything it started (SIGTERM, then SIGKILL).
 */
final class ChildJvm implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int LINES_KEPT = 30;

    private final String name;
    private final Process process;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final List<String> seen = new ArrayList<>();

    private ChildJvm(String name, Process process, Path logFile) throws IOException {
        this.name = name;
        this.process = process;
        Writer logWriter = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        Thread pump = new Thread(() -> pump(logWriter), "bench-" + name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM.
     *
     * @param jvmOptions options placed before the main class (e.g. -Xmx, a JFR recording)
     * @param environment variables added to this process's environment
     * @param logFile    receives the child's stdout and stderr
     */
    static ChildJvm start(String name, List<String> jvmOptions, Map<String, String> environment, String mainClass,
                          List<String> args, Path logFile) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(absoluteClasspath());
        command.add(mainClass);
        command.addAll(args);
        log.info("{}: starting {} ({} {}), output in {}", BenchRunner.NODE_ID, name, mainClass,
                String.join(" ", args), logFile);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new ChildJvm(name, process, logFile);
    }

    long pid() {
        return process.pid();
    }

    /**
     * Blocks until the child prints a line matching {@code wanted}, and returns it.
     *
     * @throws IllegalStateException when the child exits first or {@code timeout} passes, with its last output
     */
    String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            while (true) {
                for (String line : seen) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
                long left = deadline - System.nanoTime();
                if (!process.isAlive() || left <= 0) {
                    throw new IllegalStateException(name + " did not start ("
                            + (process.isAlive() ? "no sign of life after " + timeout.toSeconds() + "s"
                            : "it exited with code " + process.exitValue()) + "); its last output:\n  "
                            + String.join("\n  ", lastLines()));
                }
                seen.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
            }
        }
    }

    /** Stops the child and every process it started; waits for them to exit. */
    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy(); // SIGTERM: the child's shutdown hooks stop it cleanly
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("{}: {} did not stop within {}s, killing it", BenchRunner.NODE_ID, name, STOP_GRACE.toSeconds());
                process.destroyForcibly().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        // e.g. redis-server, normally stopped by the child's own hook
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private void pump(Writer logWriter) {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)); logWriter) {
            for (String line; (line = out.readLine()) != null; ) {
                logWriter.write(line);
                logWriter.write('\n');
                remember(line);
            }
        } catch (IOException e) {
            log.debug("{}: output of {} ended: {}", BenchRunner.NODE_ID, name, e.toString());
        }
        synchronized (seen) {
            seen.notifyAll();
        }
    }

    private void remember(String line) {
        synchronized (seen) {
            lastLines.addLast(line);
            if (lastLines.size() > LINES_KEPT) {
                lastLines.removeFirst();
            }
            if (seen.size() < 1000) { // start-up lines only; keeps memory bounded
                seen.add(line);
            }
            seen.notifyAll();
        }
    }

    private List<String> lastLines() {
        synchronized (seen) {
            return new ArrayList<>(lastLines);
        }
    }

    private static String absoluteClasspath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException("java.class.path is empty: cannot start a child JVM");
        }
        return String.join(File.pathSeparator, entries);
    }
}
