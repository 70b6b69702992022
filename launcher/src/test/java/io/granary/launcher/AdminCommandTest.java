package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.master.MasterConfig;
import io.granary.master.store.MetadataBackup;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line of {@code granary admin}: its help, its defaults, and what it refuses before connecting. */
class AdminCommandTest {
    @TempDir
    Path dir;

    @Test
    void adminBackupHelpNamesItsOptionsAndDefaults() {
        AdminCommandIT.Run help = AdminCommandIT.run("admin", "backup", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: granary admin backup", "FILE", "--redis=URL", "--prefix=PREFIX",
                "default: " + MasterConfig.DEFAULT_KEY_PREFIX, "--max-pause=DURATION",
                "default: " + MetadataBackup.DEFAULT_MAX_PAUSE_TEXT, "CLIENT PAUSE");
        assertThat(AdminCommandIT.run("admin", "restore", "--help").out()).contains("Usage: granary admin restore",
                "--redis=URL", "--prefix=PREFIX", "empty key prefix");
        assertThat(AdminCommandIT.run("--help").out()).contains("admin");
    }

    @Test
    void decommissionIsAnAdminCommandThatTalksToAGatewayAndHasNoOtherName() {
        AdminCommandIT.Run help = AdminCommandIT.run("admin", "decommission", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: granary admin decommission", "CHUNKSERVER", "--cancel",
                "--gateway=URL", "--token=TOKEN");
        assertThat(AdminCommandIT.run("admin", "--help").out())
                .contains("decommission", "talk to the master's Redis", "through a gateway");
        assertThat(Granary.commandLine().getSubcommands()).doesNotContainKey("decommission");
    }

    @Test
    void theAdminCommandsReadRedisAsTheMasterDoes() {
        CommandLine granary = Granary.commandLine();
        granary.getSubcommands().get("master").getCommandSpec().interpolateVariables(false);
        String master = granary.getSubcommands().get("master").getCommandSpec().findOption("--redis").defaultValue();
        for (String command : new String[] {"backup", "restore"}) {
            CommandLine admin = granary.getSubcommands().get("admin").getSubcommands().get(command);
            admin.getCommandSpec().interpolateVariables(false);
            assertThat(admin.getCommandSpec().findOption("--redis").defaultValue()).as(command).isEqualTo(master)
                    .contains("GRANARY_REDIS", MasterConfig.DEFAULT_REDIS_URI);
        }
    }

    @Test
    void adminAloneOrWithNonsenseIsAUsageError() {
        AdminCommandIT.Run alone = AdminCommandIT.run("admin");
        AdminCommandIT.Run prefix = AdminCommandIT.run("admin", "backup", "--prefix", "granary", dir.resolve("x").toString());
        AdminCommandIT.Run pause = AdminCommandIT.run("admin", "backup", "--max-pause", "0s", dir.resolve("x").toString());
        AdminCommandIT.Run file = AdminCommandIT.run("admin", "restore");

        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.err()).contains("say what to do: backup, restore or decommission");
        assertThat(prefix.exitCode()).isEqualTo(2);
        assertThat(prefix.err()).contains("key prefix 'granary' must start with a hash tag like {granary}");
        assertThat(pause.exitCode()).isEqualTo(2);
        assertThat(pause.err()).contains("--max-pause must be a positive duration");
        assertThat(file.exitCode()).isEqualTo(2);
        assertThat(file.err()).contains("Missing required parameter: 'FILE'");
        assertThat(dir.resolve("x")).doesNotExist();
    }
}
