package io.granary.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.common.AccessTokens;
import io.granary.common.BoundedJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built {@code granary.jar} running {@code local} in a JVM of its own with the README's bounded
 * options ({@link BoundedJvm#OPTIONS} and {@link BoundedJvm#ENVIRONMENT}), for tests of memory and load
 * bounds that an in-process cluster cannot show. Its output is kept and echoed as {@code [local] …},
 * and its banner gives the gateway's URL and the internal metrics ports. Closing it stops the process
 * (SIGTERM, forcibly after 30 s).
 */
final class LocalProcess implements AutoCloseable {
    static final Pattern GATEWAY_URL = Pattern.compile("HTTP gateway\\s+(http://\\S+)/api/v1/files/");
    static final Pattern METRICS_PORTS = Pattern.compile("master and chunkservers on \\S+ ports ([0-9, ]+)");
    /** How long the banner may take to appear. */
    static final long START_SECONDS = 60;

    private final Process process;
    private final String adminToken;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> gatewayUrl = new CompletableFuture<>();
    private final CompletableFuture<List<Integer>> metricsPorts = new CompletableFuture<>();
    private final CountDownLatch outputEnded = new CountDownLatch(1);

    private LocalProcess(Process process, String adminToken) {
        this.process = process;
        this.adminToken = adminToken;
        Thread pump = new Thread(this::pumpOutput, "local-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code local} on a free gateway port with its data in {@code dataDir} and a new admin token
     * ({@link #adminToken()}) as its first.
     *
     * @param jvmOptions added after {@link BoundedJvm#OPTIONS}
     * @param localOptions added after {@code local}'s own port and data options
     */
    static LocalProcess start(Path dataDir, List<String> jvmOptions, List<String> localOptions) throws IOException {
        String adminToken = AccessTokens.newToken();
        Path jar = Path.of("..", "launcher", "target", "granary.jar").toAbsolutePath().normalize();
        assertThat(jar).as("built by the package phase").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(BoundedJvm.OPTIONS);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "local", "--port", "0", "--data", dataDir.toString()));
        command.addAll(localOptions);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(BoundedJvm.ENVIRONMENT);
        builder.environment().put("GRANARY_ADMIN_TOKEN", adminToken);
        return new LocalProcess(builder.start(), adminToken);
    }

    /** The admin token the process was started with. */
    String adminToken() {
        return adminToken;
    }

    /**
     * A client of the gateway that sends the admin token and gives every request {@code timeout};
     * waits for the banner as {@link #gatewayUrl()} does.
     */
    Http http(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return new Http(gatewayUrl(), adminToken, timeout);
    }

    /** The gateway's base URL, once the banner has named it; waits at most {@link #START_SECONDS}. */
    String gatewayUrl() throws InterruptedException, ExecutionException, TimeoutException {
        return gatewayUrl.get(START_SECONDS, TimeUnit.SECONDS);
    }

    /** The metrics ports of the master and the chunkservers, as the banner lists them. */
    List<Integer> metricsPorts() throws InterruptedException, ExecutionException, TimeoutException {
        return metricsPorts.get(START_SECONDS, TimeUnit.SECONDS);
    }

    /** Every line the process printed so far. */
    List<String> output() {
        return output;
    }

    Process process() {
        return process;
    }

    private void pumpOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                output.add(line);
                System.out.println("[local] " + line);
                Matcher url = GATEWAY_URL.matcher(line);
                if (url.find()) {
                    gatewayUrl.complete(url.group(1));
                }
                Matcher ports = METRICS_PORTS.matcher(line);
                if (ports.find()) {
                    metricsPorts.complete(Arrays.stream(ports.group(1).split(",\\s*")).map(String::trim)
                            .filter(s -> !s.isEmpty()).map(Integer::parseInt).toList());
                }
            }
            IllegalStateException exited = new IllegalStateException("granary local exited with " + process.waitFor());
            gatewayUrl.completeExceptionally(exited);
            metricsPorts.completeExceptionally(exited);
        } catch (IOException | InterruptedException e) {
            gatewayUrl.completeExceptionally(e);
            metricsPorts.completeExceptionally(e);
        } finally {
            outputEnded.countDown();
        }
    }

    /**
     * Stops the process as Ctrl-C or {@code docker stop} would (SIGTERM), forcibly after 30 s, and
     * waits for the end of its output, so that {@link #output()} holds what it printed while stopping.
     * Unlike {@link Process#destroy()}, the signal leaves the output stream open.
     */
    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        outputEnded.await(30, TimeUnit.SECONDS);
    }
}
