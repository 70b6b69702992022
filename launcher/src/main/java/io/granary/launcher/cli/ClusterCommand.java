package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code granary cluster}: the master, every chunkserver and the replication health. */
@Command(name = "cluster", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = "Shows the master, each chunkserver (alive, state, usage, chunks), under-replicated chunks "
                + "and the balancer; --watch keeps it current.")
public final class ClusterCommand extends CliCommand {

    @Option(names = "--json", description = "Print the gateway's JSON as it is.")
    boolean json;

    @Option(names = "--watch", paramLabel = "INTERVAL", arity = "0..1", fallbackValue = "2s",
            converter = DurationConverter.class,
            description = "Show it again every INTERVAL (2s when not given) until interrupted; on a terminal each "
                    + "view replaces the last.")
    Duration watch;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "With --watch: stop after N views (default: until interrupted).")
    int count;

    @Override
    void execute() throws IOException {
        if (watch == null) {
            show();
            return;
        }
        boolean terminal = System.console() != null;
        for (int shown = 0; count <= 0 || shown < count; shown++) {
            if (shown > 0 && !pause(watch)) {
                return;
            }
            if (terminal) {
                out().print("\033[H\033[2J"); // home and clear: the new view replaces the old
            }
            show();
            out().flush();
        }
    }

    /** Waits out the interval; false when interrupted, which ends the watch. */
    private static boolean pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void show() throws IOException {
        JsonNode cluster = http.sendForJson(http.request(http.uri("cluster")).GET().build());
        if (json) {
            printJson(cluster);
            return;
        }
        JsonNode master = cluster.path("master");
        out().printf("master %s, Redis %s%n", master.path("id").asText(),
                master.path("metadataStoreReachable").asBoolean() ? "reachable"
                        : "UNREACHABLE: " + master.path("metadataStoreError").asText());
        out().printf("%-20s %-22s %-5s %-14s %10s %10s %8s  %s%n", "CHUNKSERVER", "ADDRESS", "ALIVE", "STATE",
                "USED", "CAPACITY", "CHUNKS", "LAST HEARTBEAT");
        for (JsonNode cs : cluster.path("chunkservers")) {
            out().printf("%-20s %-22s %-5s %-14s %10s %10s %8d  %s%n", cs.path("id").asText(),
                    cs.path("address").asText(), cs.path("alive").asBoolean() ? "yes" : "NO",
                    cs.path("state").asText("normal"), Progress.human(cs.path("usedBytes").asLong()),
                    Progress.human(cs.path("capacityBytes").asLong()), cs.path("chunks").asLong(),
                    cs.path("lastHeartbeat").asText(""));
        }
        for (JsonNode cs : cluster.path("chunkservers")) {
            if ("draining".equals(cs.path("state").asText())) {
                out().printf("%s draining: %d chunk(s) still to copy elsewhere, %d that no other chunkserver can take%s%n",
                        cs.path("id").asText(), cs.path("chunksToMove").asLong(), cs.path("chunksUnmovable").asLong(),
                        cs.path("decommissionDetail").asText("").isEmpty() ? ""
                                : " (" + cs.path("decommissionDetail").asText() + ")");
            }
        }
        out().printf("under-replicated chunks %d, missing chunks %d, corrupt chunks %d, default replication %d%n",
                cluster.path("underReplicatedChunks").asLong(), cluster.path("missingChunks").asLong(),
                cluster.path("corruptChunks").asLong(), cluster.path("defaultReplication").asInt());
        out().printf("repair queue %d, repairs in flight %d, pending collection %s%s%n",
                cluster.path("repairQueueLength").asLong(), cluster.path("repairsInFlight").asLong(),
                Progress.human(cluster.path("gcPendingBytes").asLong()),
                master.path("safeMode").asBoolean() ? ", master in SAFE MODE (waiting for chunk reports)" : "");
        printBalancer(cluster.path("balancer"));
    }

    private void printBalancer(JsonNode balancer) {
        String state = balancer.path("state").asText("off");
        if ("off".equals(state)) {
            out().println("balancer off");
            return;
        }
        out().printf("balancer %s: average usage %.1f%%, threshold %s points, %s outside it; %d move(s) in flight, "
                        + "%d done (%s) at up to %s/s%s%n", state, balancer.path("averageUsagePercent").asDouble(),
                balancer.path("thresholdPercent").asText(), balancer.path("outsideThreshold").size(),
                balancer.path("movesInFlight").asLong(), balancer.path("chunksMoved").asLong(),
                Progress.human(balancer.path("bytesMoved").asLong()),
                Progress.human(balancer.path("bandwidthBytesPerSecond").asLong()),
                balancer.path("detail").asText("").isEmpty() ? "" : " (" + balancer.path("detail").asText() + ")");
    }
}
