package io.granary.launcher;

import io.granary.launcher.cli.DurationConverter;
import io.granary.master.MasterConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --upload-timeout} of the commands that run a master ({@code master}, {@code local}). */
final class UploadTimeoutOption {

    @Option(names = "--upload-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:GRANARY_UPLOAD_TIMEOUT:-" + MasterConfig.DEFAULT_UPLOAD_TIMEOUT_TEXT + "}",
            description = "An upload idle this long is abandoned and its chunks collected (default: ${DEFAULT-VALUE}).")
    Duration value;
}
