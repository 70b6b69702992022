package io.granary.bench;

import io.granary.common.BoundedJvm;
import io.granary.common.AccessTokens;
import io.granary.common.S3AccessKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code granary local} cluster (embedded Redis, master, 3 chunkservers, gateway with its S3 port)
 * in its own JVM, so that its memory can be read from {@code /proc} without the benchmark's own.
 * Replication 3, {@link #CHUNK_SIZE} chunks, ports picked by the system; the addresses are read from
 * its start-up banner. Its admin token and S3 key are made here, new for each run, and handed to it
 * through its environment, as an operator would. A shutdown hook stops it if the benchmark is
 * interrupted (Ctrl-C must not leave it running).
 */
final class ClusterProcess implements AutoCloseable {
    static final int CHUNKSERVERS = 3;
    static final int REPLICATION = 3;
    /** The chunk size of the cluster measured: {@code local}'s default, written as its flag takes it. */
    static final String CHUNK_SIZE = "64MiB";
    /** What the cluster is, as the command's help and the report say it. */
    static final String SHAPE = "granary local, " + CHUNKSERVERS + " chunkservers, replication " + REPLICATION + ", "
            + CHUNK_SIZE + " chunks";
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern GATEWAY = Pattern.compile("HTTP gateway\\s+(http://\\S+?)/api/v1/files");
    private static final Pattern MASTER = Pattern.compile("master \\(gRPC\\)\\s+(\\S+)");
    private static final Pattern SECRET = Pattern.compile("cluster secret\\s+(\\S+)");
    /** The S3 line, not the "S3 keys" one below it. */
    private static final Pattern S3 = Pattern.compile("^\\s*S3\\s+(https?://\\S+)");

    private final ChildJvm jvm;
    private final String gatewayUrl;
    private final String masterAddress;
    private final String clusterSecret;
    private final String adminToken;
    private final S3Access s3;
    private final Thread stopOnExit;

    private ClusterProcess(ChildJvm jvm, String gatewayUrl, String masterAddress, String clusterSecret,
                           String adminToken, S3Access s3) {
        this.clusterSecret = clusterSecret;
        this.jvm = jvm;
        this.adminToken = adminToken;
        this.gatewayUrl = gatewayUrl;
        this.masterAddress = masterAddress;
        this.s3 = s3;
        this.stopOnExit = new Thread(jvm::close, "bench-stop-cluster-" + jvm.pid());
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts the cluster on {@code dataDir} and waits for its banner (all chunkservers live).
     *
     * @param mainClass  the {@code granary} command's main class, run with {@code local}
     * @param jvmOptions extra options of the cluster's JVM
     * @throws IllegalStateException when it does not come up, with its last output lines
     */
    static ClusterProcess start(String mainClass, Path dataDir, List<String> jvmOptions, Path logFile) throws Exception {
        return start(mainClass, dataDir, jvmOptions, logFile, List.of(), Map.of());
    }

    /**
     * As {@link #start(String, Path, List, Path)}, with more flags of {@code local} and more variables
     * in its environment (a secret, such as a Redis URI with its password, goes there, never on the
     * command line).
     */
    static ClusterProcess start(String mainClass, Path dataDir, List<String> jvmOptions, Path logFile,
                                List<String> moreArgs, Map<String, String> moreEnvironment) throws Exception {
        List<String> args = new ArrayList<>(List.of("local", "--port", "0", "--master-port", "0",
                "--data", dataDir.toString(), "--chunkservers", String.valueOf(CHUNKSERVERS), "--replication", String.valueOf(REPLICATION),
                "--chunk-size", CHUNK_SIZE, "--s3-port", "0"));
        args.addAll(moreArgs);
        // the admin token and S3 key go through the environment, as an operator would pass them, never on
        // the command line
        String token = AccessTokens.newToken();
        String s3AccessKey = S3AccessKeys.newAccessKeyId();
        String s3SecretKey = S3AccessKeys.newSecretKey();
        Map<String, String> environment = new HashMap<>(BoundedJvm.ENVIRONMENT);
        environment.put("GRANARY_ADMIN_TOKEN", token);
        environment.put(S3Access.ACCESS_KEY_VARIABLE, s3AccessKey);
        environment.put(S3Access.SECRET_KEY_VARIABLE, s3SecretKey);
        environment.putAll(moreEnvironment);
        String name = moreArgs.isEmpty() ? "cluster (granary local)" : "cluster (granary local " + String.join(" ", moreArgs) + ")";
        ChildJvm jvm = ChildJvm.start(name, jvmOptions, environment,
                mainClass, args, logFile);
        try {
            String gateway = find(GATEWAY, jvm.awaitLine(line -> GATEWAY.matcher(line).find(), START_TIMEOUT));
            String master = find(MASTER, jvm.awaitLine(line -> MASTER.matcher(line).find(), START_TIMEOUT));
            String secret = find(SECRET, jvm.awaitLine(line -> SECRET.matcher(line).find(), START_TIMEOUT));
            String s3 = find(S3, jvm.awaitLine(line -> S3.matcher(line).find(), START_TIMEOUT));
            if (secret.startsWith("(")) { // the child took ours from the environment and does not print it
                secret = System.getenv("GRANARY_CLUSTER_SECRET");
            }
            return new ClusterProcess(jvm, gateway, master, secret, token, new S3Access(s3, s3AccessKey, s3SecretKey));
        } catch (Exception e) {
            jvm.close();
            throw e;
        }
    }

    String gatewayUrl() {
        return gatewayUrl;
    }

    /** The cluster's admin token, for the HTTP figures. */
    String adminToken() {
        return adminToken;
    }

    /** The S3 port and the admin's S3 key. */
    S3Access s3Access() {
        return s3;
    }

    String masterAddress() {
        return masterAddress;
    }

    /** The secret the cluster generated for itself and printed in its banner. */
    String clusterSecret() {
        return clusterSecret;
    }

    long pid() {
        return jvm.pid();
    }

    /** Stops the cluster (its shutdown hook closes every part and Redis). */
    @Override
    public void close() {
        jvm.close();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }

    private static String find(Pattern pattern, String line) {
        Matcher m = pattern.matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("unexpected banner line: " + line);
        }
        return m.group(1);
    }
}
