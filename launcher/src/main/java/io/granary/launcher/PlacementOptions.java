package io.granary.launcher;

import io.granary.launcher.cli.ByteSizeConverter;
import io.granary.master.MasterConfig;
import picocli.CommandLine.Option;

/** The defaults for uploads that do not choose their own, shared by {@code local} and {@code master}. */
final class PlacementOptions {
    @Option(names = "--chunk-size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            defaultValue = "${env:GRANARY_CHUNK_SIZE:-" + MasterConfig.DEFAULT_CHUNK_SIZE_TEXT + "}",
            description = "Default chunk size, e.g. 64MiB, 1MiB, 256KiB (default: ${DEFAULT-VALUE}).")
    long chunkSize;

    @Option(names = "--replication", paramLabel = "N", defaultValue = "${env:GRANARY_REPLICATION:-" + MasterConfig.DEFAULT_REPLICATION + "}",
            description = "Default replicas per chunk (default: ${DEFAULT-VALUE}).")
    int replication;
}
