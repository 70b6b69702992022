package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.granary.launcher.cli.ExitCodeHelp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the client commands say about themselves: exit codes in every help, and a completion script. */
class ClientHelpTest {

    @Test
    void everyClientCommandsHelpListsTheExitCodesScriptsMayRelyOn() {
        List<CommandLine> clients = new ArrayList<>();
        collectClients(Granary.commandLine(), clients);

        assertThat(clients).extracting(CommandLine::getCommandName)
                .contains("put", "get", "ls", "cp", "mirror", "cluster", "share", "setrep", "chmod", "create", "revoke");
        for (CommandLine client : clients) {
            assertThat(client.getUsageMessage()).as(client.getCommandSpec().qualifiedName())
                    .contains("Exit codes:", "done", "not authenticated or not allowed");
        }
        assertThat(Granary.commandLine().getSubcommands().get("fsck").getUsageMessage()).contains("6", "fsck found");
        assertThat(Granary.commandLine().getSubcommands().get("mirror").getUsageMessage()).contains("7", "some entries failed");
        assertThat(Granary.commandLine().getSubcommands().get("master").getUsageMessage())
                .as("a role is no client").doesNotContain("Exit codes:");
    }

    @Test
    void aCompletionScriptNamesTheCommands() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Granary.commandLine().execute("generate-completion")).isZero();
        } finally {
            System.setOut(saved);
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("complete -F", "share", "setrep", "token");
    }

    private static void collectClients(CommandLine command, List<CommandLine> out) {
        if (command.getCommand().getClass().getPackageName().equals(ExitCodeHelp.class.getPackageName())) {
            out.add(command);
        }
        command.getSubcommands().values().forEach(sub -> collectClients(sub, out));
    }
}
