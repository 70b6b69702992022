package io.granary.launcher;

import io.granary.master.MasterConfig;
import picocli.CommandLine.Option;

/** {@code --redis} of the commands that talk to the master's Redis ({@code master}, {@code admin backup|restore}). */
final class RedisOption {

    @Option(names = "--redis", paramLabel = "URL", defaultValue = "${env:GRANARY_REDIS:-" + MasterConfig.DEFAULT_REDIS_URI + "}",
            description = "The Redis holding the metadata: redis://[[USER]:PASSWORD@]HOST:PORT, rediss:// for TLS, or "
                    + "redis-sentinel://[PASSWORD@]SENTINEL:PORT[,SENTINEL:PORT...]#PRIMARY-NAME to follow Sentinel "
                    + "(env GRANARY_REDIS, preferred: a flag shows in ps; logged masked; default: ${DEFAULT-VALUE}).")
    String uri;
}
