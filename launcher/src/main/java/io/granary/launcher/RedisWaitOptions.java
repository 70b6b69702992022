package io.granary.launcher;

import io.granary.launcher.cli.DurationConverter;
import io.granary.master.MasterConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --redis-wait-replicas} and {@code --redis-wait-timeout} of the commands that run a master
 * ({@code master}, {@code local}): how many Redis replicas confirm each metadata change, and how long
 * a change waits for them.
 */
final class RedisWaitOptions {

    @Option(names = "--redis-wait-replicas", paramLabel = "N",
            defaultValue = "${env:GRANARY_REDIS_WAIT_REPLICAS:-" + MasterConfig.DEFAULT_REDIS_WAIT_REPLICAS + "}",
            description = "Redis replicas that must confirm each metadata change (WAIT) before it is acknowledged, "
                    + "so that a Redis failover loses none (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--redis-wait-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:GRANARY_REDIS_WAIT_TIMEOUT:-" + MasterConfig.DEFAULT_REDIS_WAIT_TIMEOUT_TEXT + "}",
            description = "How long a change waits for those replicas; then its outcome is unknown (default: "
                    + "${DEFAULT-VALUE}).")
    Duration timeout;
}
