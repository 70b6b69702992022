package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shell blocks of the README and of docs/*.md (the full curl walk through, Docker Compose) work
 * when typed in order: every {@code curl} to the API that needs a token sends one, and no command uses
 * a file after an earlier command of the same block deleted it. It reads the commands rather than
 * running them (they need a cluster, sample videos and, for compose, Docker); the routes they call are
 * tested where they are served.
 */
class ReadmeCommandsTest {
    private static final Pattern SHELL_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern FILE_URL = Pattern.compile("/api/v1/(?:files|stat)(/[^\\s'\"?]+)");
    private static final Pattern JSON_PATH = Pattern.compile("\"path\"\\s*:\\s*\"(/[^\"]+)\"");

    static List<List<String>> blocks;

    @BeforeAll
    static void readReadmeAndDocs() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a directory above the module with README.md").isNotNull();
        blocks = new ArrayList<>();
        assertThat(addShellBlocks(dir.resolve("README.md"))).as("the README's sh blocks").isGreaterThan(2);
        List<Path> docs;
        try (Stream<Path> files = Files.list(dir.resolve("docs"))) {
            docs = files.filter(file -> file.toString().endsWith(".md")).sorted().toList();
        }
        int inDocs = 0;
        for (Path doc : docs) {
            inDocs += addShellBlocks(doc);
        }
        assertThat(inDocs).as("the sh blocks of docs/*.md").isPositive();
    }

    /** Adds the file's {@code sh} blocks to {@link #blocks}; answers how many it had. */
    private static int addShellBlocks(Path file) throws IOException {
        int count = 0;
        Matcher block = SHELL_BLOCK.matcher(Files.readString(file));
        while (block.find()) {
            blocks.add(commands(block.group(1)));
            count++;
        }
        return count;
    }

    @Test
    void everyCurlToTheApiSendsATokenUnlessItReadsAFile() {
        for (List<String> commands : blocks) {
            for (String command : curls(commands)) {
                if (!command.contains("/api/") || sendsToken(command)) {
                    continue;
                }
                // a public file, or a presigned URL, is read without a token; nothing else is
                assertThat(command).as("a curl without a token only reads a file")
                        .contains("/api/v1/files/").doesNotContain(" -T ", " -X ", " -F ", " -d ");
            }
        }
    }

    @Test
    void noCommandUsesAFileThatAnEarlierCommandOfItsBlockDeleted() {
        for (List<String> commands : blocks) {
            Set<String> deleted = new HashSet<>();
            for (String command : curls(commands)) {
                Set<String> paths = paths(command);
                if (command.contains("-X DELETE")) {
                    deleted.addAll(paths);
                } else if (command.contains(" -T ") || command.contains(" -F ")) {
                    deleted.removeAll(paths);
                } else {
                    for (String path : paths) {
                        assertThat(deleted).as("used after its deletion: " + command).doesNotContain(path);
                    }
                }
            }
        }
    }

    /** The block's commands, each continued line joined to its first, comments dropped. */
    private static List<String> commands(String block) {
        List<String> commands = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        for (String line : block.split("\\n")) {
            String text = line.strip();
            if (text.startsWith("#") || (text.isEmpty() && command.isEmpty())) {
                continue;
            }
            boolean continued = text.endsWith("\\");
            command.append(continued ? text.substring(0, text.length() - 1) : text).append(' ');
            if (!continued) {
                commands.add(command.toString());
                command.setLength(0);
            }
        }
        return commands;
    }

    private static List<String> curls(List<String> commands) {
        return commands.stream().filter(c -> c.startsWith("curl ")).toList();
    }

    private static boolean sendsToken(String command) {
        return command.contains("-H \"$AUTH\"") || command.contains("Authorization: Bearer");
    }

    /** The namespace paths a command names: in a file or stat URL, or as a JSON {@code path}. */
    private static Set<String> paths(String command) {
        Set<String> paths = new HashSet<>();
        for (Pattern pattern : List.of(FILE_URL, JSON_PATH)) {
            Matcher m = pattern.matcher(command);
            while (m.find()) {
                paths.add(m.group(1));
            }
        }
        return paths;
    }
}
