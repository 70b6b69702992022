package io.granary.launcher;

import io.granary.bench.BenchCommand;
import io.granary.launcher.cli.CatCommand;
import io.granary.launcher.cli.ChmodCommand;
import io.granary.launcher.cli.ClusterCommand;
import io.granary.launcher.cli.CpCommand;
import io.granary.launcher.cli.DuCommand;
import io.granary.launcher.cli.ExitCodeHelp;
import io.granary.launcher.cli.ExitCodes;
import io.granary.launcher.cli.FindCommand;
import io.granary.launcher.cli.FsckCommand;
import io.granary.launcher.cli.GetCommand;
import io.granary.launcher.cli.GrantCommand;
import io.granary.launcher.cli.LsCommand;
import io.granary.launcher.cli.MirrorCommand;
import io.granary.launcher.cli.MkdirCommand;
import io.granary.launcher.cli.MvCommand;
import io.granary.launcher.cli.PutCommand;
import io.granary.launcher.cli.RmCommand;
import io.granary.launcher.cli.S3KeyCommand;
import io.granary.launcher.cli.SetrepCommand;
import io.granary.launcher.cli.ShareCommand;
import io.granary.launcher.cli.StatCommand;
import io.granary.launcher.cli.TokenCommand;
import io.granary.launcher.local.LocalJvm;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single entry point of {@code granary.jar}: one subcommand per role, plus {@code local}. */
@Command(
        name = "granary",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        exitCodeOnInvalidInput = ExitCodes.USAGE,
        description = {"Granary, a GFS-style distributed file system.",
            "Roles: local, master, chunkserver, gateway (and health, for container checks); bench measures a cluster.",
            "Operators: admin backup|restore, the metadata in Redis; admin decommission, draining a chunkserver through a gateway.",
            "Client: put, get, cp, mirror, cat, ls, find, mkdir, mv, rm, stat, du, cluster, fsck, share, setrep, chmod,",
            "  token, grant, s3-key, talking to a gateway (--gateway, GRANARY_GATEWAY);",
            "  generate-completion prints a bash/zsh completion script.",
            "Client exit codes: 0 ok, 1 usage, 2 not found, 3 conflict or precondition, 4 gateway unreachable or 5xx, 5 auth,",
            "  6 fsck found an unhealthy cluster, 7 some entries of cp -r or mirror failed."},
        subcommands = {LocalCommand.class, MasterCommand.class, ChunkServerCommand.class, GatewayCommand.class,
            HealthCommand.class, BenchCommand.class, PutCommand.class, GetCommand.class, CpCommand.class,
            MirrorCommand.class, CatCommand.class, LsCommand.class, FindCommand.class, MkdirCommand.class,
            MvCommand.class, RmCommand.class, StatCommand.class, ClusterCommand.class, DuCommand.class,
            FsckCommand.class, TokenCommand.class, GrantCommand.class, ShareCommand.class, SetrepCommand.class,
            ChmodCommand.class, S3KeyCommand.class, AdminCommand.class, AutoComplete.GenerateCompletion.class})
public final class Granary implements Runnable {

    public static void main(String[] args) {
        LocalJvm.boundNettyPools(); // before anything loads Netty
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Granary());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(new StartupErrorHandler());
        ExitCodeHelp.listOnEveryClientCommand(cli);
        return cli;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
