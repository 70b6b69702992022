package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.granary.launcher.cli.ExitCodeHelp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    @Test
    void bashCompletesCommandsAndSubcommandsWithTheGeneratedScript(@TempDir Path dir) throws Exception {
        Path bash = Path.of("/bin/bash");
        assumeTrue(Files.isExecutable(bash), "no /bin/bash on this machine");
        Path script = dir.resolve("granary-completion.sh");
        PrintStream saved = System.out;
        try (PrintStream file = new PrintStream(Files.newOutputStream(script), true, StandardCharsets.UTF_8)) {
            System.setOut(file);
            assertThat(Granary.commandLine().execute("generate-completion")).isZero();
        } finally {
            System.setOut(saved);
        }

        assertThat(complete(bash, script, "granary sha")).containsExactly("share");
        assertThat(complete(bash, script, "granary token ")).containsExactlyInAnyOrder("create", "list", "revoke");
        assertThat(complete(bash, script, "granary mirror --ex")).containsExactly("--exclude");
    }

    /** What bash offers for {@code line} (the cursor at its end), as a user pressing Tab would get it. */
    private static List<String> complete(Path bash, Path script, String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        Process process = new ProcessBuilder(bash.toString(), "-c", "source \"$1\"; COMP_LINE=\"$2\"; "
                + "COMP_POINT=${#COMP_LINE}; eval \"COMP_WORDS=($3)\"; COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
                + "_complete_granary; printf '%s\\n' \"${COMPREPLY[@]}\"", "bash", script.toString(), line, words)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // compopt warns outside a real Tab press
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    private static void collectClients(CommandLine command, List<CommandLine> out) {
        if (command.getCommand().getClass().getPackageName().equals(ExitCodeHelp.class.getPackageName())) {
            out.add(command);
        }
        command.getSubcommands().values().forEach(sub -> collectClients(sub, out));
    }
}
