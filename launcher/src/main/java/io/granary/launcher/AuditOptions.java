package io.granary.launcher;

import io.granary.launcher.cli.DurationConverter;
import io.granary.master.MasterConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --audit-max-entries} and {@code --audit-max-age} of the commands that run a master
 * ({@code master}, {@code local}): how much of the audit log Redis keeps.
 */
final class AuditOptions {

    @Option(names = "--audit-max-entries", paramLabel = "N",
            defaultValue = "${env:GRANARY_AUDIT_MAX_ENTRIES:-" + MasterConfig.DEFAULT_AUDIT_MAX_ENTRIES + "}",
            description = "The most entries the audit log keeps; each change beyond drops the oldest (default: "
                    + "${DEFAULT-VALUE}).")
    long maxEntries;

    @Option(names = "--audit-max-age", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:GRANARY_AUDIT_MAX_AGE:-" + MasterConfig.DEFAULT_AUDIT_MAX_AGE_TEXT + "}",
            description = "Audit entries older than this are dropped, checked every minute (default: "
                    + "${DEFAULT-VALUE}).")
    Duration maxAge;
}
