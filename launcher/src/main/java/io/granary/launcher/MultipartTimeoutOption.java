package io.granary.launcher;

import io.granary.launcher.cli.DurationConverter;
import io.granary.master.MasterConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --multipart-timeout} of the {@code master} command. */
final class MultipartTimeoutOption {

    @Option(names = "--multipart-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:GRANARY_MULTIPART_TIMEOUT:-" + MasterConfig.DEFAULT_MULTIPART_TIMEOUT_TEXT + "}",
            description = "A multipart upload idle this long is abandoned and its parts collected "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration value;
}
