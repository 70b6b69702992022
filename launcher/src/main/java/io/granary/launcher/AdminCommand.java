package io.granary.launcher;

import io.granary.common.GranaryException;
import io.granary.launcher.cli.AuditCommand;
import io.granary.launcher.cli.DecommissionCommand;
import io.granary.launcher.cli.DurationConverter;
import io.granary.master.MasterConfig;
import io.granary.master.store.MetadataBackup;
import io.granary.master.store.RedisUris;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code granary admin backup|restore|decommission|audit}: an operator's commands. {@code backup} and
 * {@code restore} read and write the metadata in Redis directly, not through a master (a restore runs
 * while every master is stopped); their exit codes: 0 done, 1 refused or failed (one line on stderr),
 * 2 usage. {@code decommission} ({@link DecommissionCommand}) and {@code audit} ({@link AuditCommand})
 * ask the master through a gateway, with an admin token, and exit as the client commands do.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = {"Operator commands.",
            "backup, restore: talk to the master's Redis directly (--redis): an online, consistent snapshot of "
                    + "the metadata; putting one back into an empty Redis prefix.",
            "decommission: asks the master through a gateway (--gateway, --token, as the client commands do) "
                    + "to drain a chunkserver, or with --cancel to return it to service.",
            "audit: the audit log through a gateway, newest first, with filters (--since, --actor, --path, ...)."},
        subcommands = {AdminCommand.Backup.class, AdminCommand.Restore.class, DecommissionCommand.class,
            AuditCommand.class})
final class AdminCommand implements Callable<Integer> {
    static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "say what to do: backup, restore or decommission");
    }

    /** The options and the error handling both subcommands share. */
    abstract static class RedisTask implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        RedisOption redis;

        @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = MasterConfig.DEFAULT_KEY_PREFIX,
                description = "The key prefix of the namespace, with its {hash tag} (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Override
        public Integer call() {
            try {
                MasterConfig.checkKeyPrefix(prefix);
                check();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            try (MetadataBackup backup = MetadataBackup.connect(redis.uri, MasterConfig.DEFAULT_REDIS_TIMEOUT, prefix)) {
                run(backup, spec.commandLine().getOut());
                return 0;
            } catch (GranaryException | IOException e) {
                spec.commandLine().getErr().println("granary admin " + spec.name() + ": " + message(e));
                return FAILED;
            }
        }

        /** Refuses nonsensical options before anything connects. */
        void check() {
        }

        abstract void run(MetadataBackup backup, PrintWriter out) throws IOException;

        private String message(Exception e) {
            String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return e instanceof IOException ? e.getClass().getSimpleName() + ": " + text : text;
        }

        String where() {
            return prefix + " on " + RedisUris.masked(redis.uri);
        }
    }

    /** {@code granary admin backup FILE}. */
    @Command(name = "backup", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Writes a consistent snapshot of every metadata key to FILE (gzip'd JSON Lines) while the "
                    + "cluster keeps serving: Redis holds writes (CLIENT PAUSE ... WRITE) while the keys are read; "
                    + "reads go on. Needs Redis 6.2 or newer.",
                "FILE appears only once complete (written as FILE.tmp, then moved)."})
    static final class Backup extends RedisTask {
        @Parameters(paramLabel = "FILE", description = "Where the backup goes; replaced if it exists.")
        Path file;

        @Option(names = "--max-pause", paramLabel = "DURATION", converter = DurationConverter.class,
                defaultValue = MetadataBackup.DEFAULT_MAX_PAUSE_TEXT,
                description = "The longest Redis may hold writes; a snapshot that takes longer is abandoned and "
                        + "nothing is written (default: ${DEFAULT-VALUE}).")
        Duration maxPause;

        @Override
        void check() {
            if (maxPause.isNegative() || maxPause.isZero()) {
                throw new IllegalArgumentException("--max-pause must be a positive duration, not " + maxPause);
            }
        }

        @Override
        void run(MetadataBackup backup, PrintWriter out) throws IOException {
            MetadataBackup.Summary summary = backup.backup(file, maxPause);
            out.printf("backed up %d keys %s of %s (schema %d) to %s; writes held for %d ms%n", summary.keys(),
                    summary.keysByType(), where(), summary.schema(), file, summary.writesPaused().toMillis());
        }
    }

    /** {@code granary admin restore FILE}. */
    @Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Writes a backup back into an empty key prefix (stop the masters first). Refuses, "
                    + "writing nothing, a prefix holding any key, and a file that is not a complete backup this "
                    + "Granary reads: the whole file is checked before the first write.",
                "--prefix may differ from the one the backup was taken under."})
    static final class Restore extends RedisTask {
        @Parameters(paramLabel = "FILE", description = "A file written by granary admin backup.")
        Path file;

        @Override
        void run(MetadataBackup backup, PrintWriter out) throws IOException {
            MetadataBackup.Summary summary = backup.restore(file);
            out.printf("restored %d keys %s (schema %d) from %s into %s%n", summary.keys(), summary.keysByType(),
                    summary.schema(), file, where());
        }
    }
}
