package io.granary.launcher;

import io.granary.launcher.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single entry point of {@code granary.jar}: one subcommand per role, plus {@code local}. */
@Command(
        name = "granary",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Granary, a GFS-style distributed file system.",
        subcommands = {LocalCommand.class, MasterCommand.class, ChunkServerCommand.class, GatewayCommand.class,
                BenchCommand.class})
public final class Granary implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Granary());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(new StartupErrorHandler());
        return cli;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
