package io.granary.launcher;

import io.granary.common.BoundedJvm;
import io.granary.common.metrics.MetricsServer;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import static org.assertj.core.api.Assertions.assertThat;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Stands in for {@code docker compose up} without a Docker engine, in milliseconds: it reads {@code docker-compose.yml} and the {@code Dockerfile} and checks them against the code. The
 * commands exist, every {@code GRANARY_*} variable is one the command's options read (taken from the
 * picocli model's {@code ${env:...}} defaults, not from a list kept by hand), the ports agree, and the
 * chunkserver service can be scaled. {@link ComposeIT} runs the real thing where Docker exists.
 */
class ComposeFileTest {
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:(GRANARY_[A-Z0-9_]+)(?::-([^}]*))?}");
    private static final Set<String> ROLES = Set.of("local", "master", "chunkserver", "gateway");

    static Path root;
    static Map<String, Object> compose;
    static Map<String, Object> services;
    static List<List<String>> dockerStages;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void readFiles() throws IOException {
        root = projectRoot();
        try (Reader reader = Files.newBufferedReader(root.resolve("docker-compose.yml"))) {
            compose = new Yaml().load(reader);
        }
        services = (Map<String, Object>) compose.get("services");
        dockerStages = DockerfileStages.read(root.resolve("Dockerfile"));
    }

    @Test
    void theFourServicesOfTheDesignAreThereAndTheHighAvailabilityOnesOnlyInItsProfile() {
        assertThat(services).containsOnlyKeys("redis", "master", "chunkserver", "gateway",
                "master-standby", "redis-replica-1", "redis-replica-2", "sentinel-1", "sentinel-2", "sentinel-3");
        for (String name : List.of("redis", "master", "chunkserver", "gateway")) {
            assertThat(service(name)).as(name).doesNotContainKey("profiles");
        }
        for (String name : List.of("master-standby", "redis-replica-1", "redis-replica-2", "sentinel-1", "sentinel-2",
                "sentinel-3")) {
            assertThat(strings(service(name).get("profiles"))).as(name).containsExactly("ha");
        }
    }

    @Test
    void theStandbyMasterIsTheMasterWithItsOwnIdAndAddressAndALivenessProbe() {
        Map<String, String> master = environment("master");
        Map<String, String> standby = environment("master-standby");

        assertThat(service("master-standby").get("command")).isEqualTo(service("master").get("command"));
        assertThat(standby).containsEntry("GRANARY_ID", "master-standby")
                .containsEntry("GRANARY_ADVERTISE", "master-standby:" + port("master"));
        assertThat(master).containsEntry("GRANARY_ID", "master").containsEntry("GRANARY_ADVERTISE", "master:" + port("master"));
        Map<String, String> shared = new java.util.HashMap<>(standby);
        shared.keySet().removeAll(List.of("GRANARY_ID", "GRANARY_ADVERTISE"));
        assertThat(master).containsAllEntriesOf(shared);
        assertThat(String.join(" ", healthTest("master-standby"))).contains("GET " + MetricsServer.LIVE_PATH + " ");
    }

    @Test
    void theHighAvailabilityEnvironmentListsBothMastersAndReachesRedisThroughTheThreeSentinels() throws IOException {
        Map<String, String> ha = new java.util.HashMap<>();
        for (String line : Files.readAllLines(root.resolve("ha.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                ha.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }

        assertThat(ha).containsEntry("COMPOSE_PROFILES", "ha")
                .containsEntry("GRANARY_MASTERS", "master:" + port("master") + ",master-standby:" + port("master"))
                .containsEntry("GRANARY_REDIS_WAIT_REPLICAS", "1");
        assertThat(ha.get("GRANARY_REDIS_URL")).isEqualTo("redis-sentinel://:${GRANARY_REDIS_PASSWORD}@"
                + "sentinel-1:26379,sentinel-2:26379,sentinel-3:26379#granary");
        assertThat(String.join(" ", strings(service("sentinel-1").get("command"))))
                .contains("sentinel monitor granary redis 6379 2").contains("--sentinel");
        for (String replica : List.of("redis-replica-1", "redis-replica-2")) {
            assertThat(String.join(" ", strings(service(replica).get("command")))).contains("replicaof redis 6379")
                    .contains("masterauth %s").doesNotContain("--requirepass");
        }
        assertThat(strings(service("redis-replica-1").get("volumes")))
                .as("each replica keeps its data apart").doesNotContainAnyElementsOf(
                        strings(service("redis-replica-2").get("volumes")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"master", "chunkserver", "gateway"})
    void eachGranaryServiceRunsARoleOfTheJarAndReadsEveryVariableItIsGiven(String name) {
        Map<String, Object> service = service(name);
        List<String> command = strings(service.get("command"));

        assertThat(command).as("%s's command", name).hasSize(1);
        assertThat(command.get(0)).isIn(ROLES).isEqualTo(name);
        assertThat(Granary.commandLine().getSubcommands()).containsKey(command.get(0));
        Set<String> read = envVarsReadBy(command.get(0));
        assertThat(environment(name).keySet()).as("variables given to %s", name)
                .allMatch(key -> key.startsWith("GRANARY_"), "are GRANARY_* settings")
                .isSubsetOf(read);
        assertThat(service.get("image")).as("one image for every role").isEqualTo(service("master").get("image"));
    }

    @Test
    void theMasterAddressGivenToOthersIsTheMastersServiceAndPort() {
        String master = "master:" + port("master");

        assertThat(environment("chunkserver")).containsEntry("GRANARY_MASTER", "${GRANARY_MASTERS:-" + master + "}");
        assertThat(environment("gateway")).containsEntry("GRANARY_MASTER", "${GRANARY_MASTERS:-" + master + "}");
        assertThat(environment("master").get("GRANARY_REDIS"))
                .matches("\\$\\{GRANARY_REDIS_URL:-redis://:\\$\\{GRANARY_REDIS_PASSWORD:\\?[^}]+}@redis:6379}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"master", "chunkserver", "gateway"})
    void everyGranaryServiceTakesTheClusterSecretFromTheUserAndHasNoDefault(String name) {
        assertThat(envVarsReadBy(name)).contains("GRANARY_CLUSTER_SECRET");
        assertThat(environment(name).get("GRANARY_CLUSTER_SECRET")).as("%s's secret", name)
                .startsWith("${GRANARY_CLUSTER_SECRET:?");
    }

    @Test
    void theGatewayIsPublishedOnGranaryHttpPortDefaulting8080WithItsS3PortAndNothingElseIs() {
        assertThat(strings(service("gateway").get("ports")))
                .containsExactly("${GRANARY_HTTP_PORT:-8080}:" + port("gateway"),
                        "${GRANARY_S3_PORT:-9000}:" + environment("gateway").get("GRANARY_S3_PORT"));
        assertThat(service("master")).doesNotContainKey("ports");
        assertThat(service("redis")).doesNotContainKey("ports");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theChunkServerScalesWithoutAFixedNameOrPortAndEachReplicaClaimsItsOwnSlotOfANamedVolume() {
        Map<String, Object> chunkserver = service("chunkserver");

        assertThat(chunkserver).doesNotContainKeys("container_name", "ports", "hostname");
        // Each replica advertises its own container address and makes and keeps its own id.
        assertThat(environment("chunkserver")).doesNotContainKeys("GRANARY_ADVERTISE", "GRANARY_ID");
        // A named volume survives down/up; an anonymous one per replica would not.
        String data = environment("chunkserver").getOrDefault("GRANARY_DATA", "/data");
        assertThat(strings(chunkserver.get("volumes"))).containsExactly("chunkserver-data:" + data);
        assertThat((Map<String, Object>) compose.get("volumes")).containsKey("chunkserver-data");
        assertThat(environment("chunkserver")).containsEntry("GRANARY_DATA_SLOTS", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"master", "chunkserver"})
    void theMetricsPortIsOnAndExposedOnTheComposeNetworkOnly(String name) {
        String port = environment(name).get("GRANARY_METRICS_PORT");
        assertThat(port).as("%s's GRANARY_METRICS_PORT", name).isNotNull();
        assertThat(Integer.parseInt(port)).isPositive();
        assertThat(strings(service(name).get("expose"))).containsExactly(port);
        assertThat(service(name)).doesNotContainKey("ports");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "master", "chunkserver", "gateway", "master-standby", "redis-replica-1",
        "redis-replica-2", "sentinel-1", "sentinel-2", "sentinel-3"})
    @SuppressWarnings("unchecked")
    void everyServiceHasAHealthCheckAndWaitsForHealthyDependencies(String name) {
        Map<String, Object> health = (Map<String, Object>) service(name).get("healthcheck");
        assertThat(health).as("%s's healthcheck", name).isNotNull();
        List<String> test = strings(health.get("test"));
        assertThat(test.get(0)).isIn("CMD", "CMD-SHELL");
        Object dependsOn = service(name).get("depends_on");
        if (dependsOn != null) {
            ((Map<String, Object>) dependsOn).forEach((dependency, condition) -> {
                assertThat(services).containsKey(dependency);
                assertThat((Map<String, Object>) condition).containsEntry("condition", "service_healthy");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"master", "chunkserver", "gateway"})
    @SuppressWarnings("unchecked")
    void theGranaryHealthChecksAreShellProbesOfTheReadinessPathOnAPortTheRoleServes(String name) {
        List<String> test = strings(((Map<String, Object>) service(name).get("healthcheck")).get("test"));
        // the gateway answers readiness on its HTTP port, master and chunkservers on their metrics port
        String port = name.equals("gateway") ? String.valueOf(port(name)) : environment(name).get("GRANARY_METRICS_PORT");

        assertThat(test).as("no JVM per check").doesNotContain("java").startsWith("CMD", "bash", "-c").hasSize(4);
        assertThat(test.get(3))
                .startsWith("exec 3<>/dev/tcp/127.0.0.1/" + port + " && ")
                .contains("GET " + MetricsServer.READY_PATH + " HTTP/1.0")
                .endsWith("grep -q ' 200 '");
    }

    @Test
    @SuppressWarnings("unchecked")
    void redisKeepsAnAppendOnlyFileOnANamedVolume() {
        Map<String, Object> redis = service("redis");

        assertThat(String.join(" ", strings(redis.get("command")))).contains("--appendonly yes");
        String volume = strings(redis.get("volumes")).get(0);
        assertThat(volume).endsWith(":/data");
        assertThat((Map<String, Object>) compose.get("volumes")).containsKey(volume.substring(0, volume.indexOf(':')));
        assertThat((String) redis.get("image")).startsWith("redis:");
    }

    @Test
    @SuppressWarnings("unchecked")
    void redisDemandsTheRequiredPasswordWhichIsOnNoCommandLine() {
        Map<String, Object> redis = service("redis");
        String command = String.join(" ", strings(redis.get("command")));

        assertThat(environment("redis").get("REDISCLI_AUTH")).startsWith("${GRANARY_REDIS_PASSWORD:?");
        assertThat(command).contains("requirepass %s").contains("$$REDISCLI_AUTH").contains("umask 077")
                .contains("exec docker-entrypoint.sh redis-server /tmp/redis.conf")
                .doesNotContain("--requirepass");
        assertThat(String.join(" ", strings(((Map<String, Object>) redis.get("healthcheck")).get("test"))))
                .isEqualTo("CMD-SHELL redis-cli ping | grep -q PONG");
    }

    @Test
    void theDockerfileBuildsWithMavenOnJdk17ThenRunsTheJarOnAJre17AsAUserWithoutPrivileges() {
        assertThat(dockerStages).hasSizeGreaterThanOrEqualTo(2);
        String buildFrom = DockerfileStages.from(dockerStages.get(0));
        assertThat(buildFrom).contains("maven").contains("17");
        List<String> last = dockerStages.get(dockerStages.size() - 1);
        assertThat(DockerfileStages.from(last)).contains("jre").contains("17");

        String user = DockerfileStages.lastArgument(last, "USER");
        assertThat(user).as("the runtime's USER").isNotNull();
        assertThat(user.split(":")[0]).isNotIn("root", "0");
        List<String> entrypoint = DockerfileStages.execForm(last, "ENTRYPOINT");
        List<String> cmd = DockerfileStages.execForm(last, "CMD");
        assertThat(entrypoint).startsWith("java").endsWith("-jar", "/app/granary.jar");
        assertThat(cmd).containsExactly("local");
        assertThat(Granary.commandLine().getSubcommands()).containsKey(cmd.get(0));
        assertThat(last).anyMatch(line -> line.startsWith("COPY --from=") && line.endsWith(" /app/granary.jar"));
    }

    @Test
    void theDockerfileCopiesEveryModuleOfTheBuildAndItsEnvironmentIsRead() throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        List<String> lines = dockerStages.get(0);
        while (module.find()) {
            String name = module.group(1);
            assertThat(lines).as("module %s", name)
                    .contains("COPY " + name + "/pom.xml " + name + "/", "COPY " + name + "/src " + name + "/src");
        }
        Set<String> readByAny = new LinkedHashSet<>();
        ROLES.forEach(role -> readByAny.addAll(envVarsReadBy(role)));
        for (String line : dockerStages.get(dockerStages.size() - 1)) {
            if (line.startsWith("ENV ")) {
                assertThat(line.substring(4).split("=")[0]).isIn(readByAny);
            }
        }
    }

    @Test
    void theBuildContextLeavesOutBuildOutputButTheJarAndData() throws IOException {
        assertThat(Files.readAllLines(root.resolve(".dockerignore")))
                .contains("**/target/", "!launcher/target/granary.jar", ".git/");
    }

    @Test
    void theDockerfileNeedsNoRegistryFrontendAndDeclaresNoVolume() throws IOException {
        List<String> lines = Files.readAllLines(root.resolve("Dockerfile"));

        assertThat(lines).noneMatch(line -> line.startsWith("# syntax="));
        assertThat(dockerStages).allSatisfy(stage -> assertThat(stage).noneMatch(line -> line.startsWith("VOLUME")));
    }

    @Test
    void theRuntimeCapsTheJdksDirectBufferCacheAsLocalModeDoes() {
        List<String> entrypoint = DockerfileStages.execForm(dockerStages.get(dockerStages.size() - 1), "ENTRYPOINT");

        assertThat(BoundedJvm.OPTIONS).contains("-Djdk.nio.maxCachedBufferSize=262144");
        assertThat(entrypoint).contains("-Djdk.nio.maxCachedBufferSize=262144");
    }

    /** The {@code GRANARY_*} variables that the options of {@code command} read, from the picocli model. */
    static Set<String> envVarsReadBy(String command) {
        Set<String> names = new LinkedHashSet<>();
        for (OptionSpec option : options(command)) {
            Matcher m = ENV_DEFAULT.matcher(String.valueOf(option.defaultValue()));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The port {@code name} listens on in compose: its GRANARY_PORT, else the option's default. */
    static int port(String name) {
        String given = environment(name).get("GRANARY_PORT");
        if (given != null) {
            return Integer.parseInt(given);
        }
        OptionSpec port = options(name).stream().filter(o -> o.longestName().equals("--port")).findFirst().orElseThrow();
        Matcher m = ENV_DEFAULT.matcher(port.defaultValue());
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(2));
    }

    private static List<OptionSpec> options(String command) {
        CommandLine sub = Granary.commandLine().getSubcommands().get(command);
        assertThat(sub).as("subcommand %s", command).isNotNull();
        sub.getCommandSpec().interpolateVariables(false); // the raw ${env:...} text, not its value here
        return sub.getCommandSpec().options();
    }

    @SuppressWarnings("unchecked")
    private static List<String> healthTest(String name) {
        return strings(((Map<String, Object>) service(name).get("healthcheck")).get("test"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        Map<String, Object> service = (Map<String, Object>) services.get(name);
        assertThat(service).as("service %s", name).isNotNull();
        return service;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String name) {
        Object env = service(name).get("environment");
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (env instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        } else if (env instanceof List<?> list) {
            for (Object item : list) {
                String[] kv = String.valueOf(item).split("=", 2);
                out.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return out;
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> out.add(String.valueOf(item)));
        } else if (value != null) {
            out.add(String.valueOf(value));
        }
        return out;
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a directory above the module with docker-compose.yml").isNotNull();
        return dir;
    }
}
