package io.granary.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of a Dockerfile reader for {@link ComposeFileTest}: instructions joined across
 * {@code \} continuations, comments dropped, grouped into stages that each start with {@code FROM}.
 */
final class DockerfileStages {
    private DockerfileStages() {
    }

    static List<List<String>> read(Path dockerfile) throws IOException {
        List<List<String>> stages = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(dockerfile)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty() && pending.length() == 0) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            String instruction = (pending + line).strip().replaceAll("\\s+", " ");
            pending.setLength(0);
            if (instruction.regionMatches(true, 0, "FROM ", 0, 5)) {
                stages.add(new ArrayList<>());
            }
            if (!stages.isEmpty() && !instruction.isEmpty()) {
                stages.get(stages.size() - 1).add(instruction);
            }
        }
        return stages;
    }

    static String from(List<String> stage) {
        return stage.get(0).substring(5);
    }

    /** The argument of the last {@code keyword} instruction of the stage, or null. */
    static String lastArgument(List<String> stage, String keyword) {
        String found = null;
        for (String line : stage) {
            if (line.startsWith(keyword + " ")) {
                found = line.substring(keyword.length() + 1).strip();
            }
        }
        return found;
    }

    /** The exec form (JSON array) of the last {@code keyword} instruction; a shell form fails. */
    static List<String> execForm(List<String> stage, String keyword) {
        String argument = lastArgument(stage, keyword);
        if (argument == null || !argument.startsWith("[")) {
            throw new AssertionError(keyword + " must be in exec form (a JSON array), not: " + argument);
        }
        try {
            return new ObjectMapper().readValue(argument, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
