package io.granary.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The configuration table of docs/configuration.md, the one place that documents the flags, says what
 * the code does: every option of the role commands is listed once, with the variable it reads and the
 * default picocli reports when that variable is unset, and nothing else is listed for them. Both sides
 * come from the source (the table from docs/configuration.md, the options from the picocli model), so
 * neither can drift.
 *
 * <p>A row's command cell names one or more commands; an empty one continues the commands of the row
 * above. Flags, variables and defaults are code spans, the i-th of each belonging together. A default
 * cell that starts with a code span gives the defaults; one that starts with words ("generated once",
 * "plain HTTP") says that the option has none in the code.
 */
class ConfigurationTableTest {
    private static final List<String> ROLES = List.of("local", "master", "chunkserver", "gateway");
    private static final String HEADER = "| command | flag | env | default | meaning |";
    private static final String DOCUMENT = "docs/configuration.md";
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:(GRANARY_[A-Z0-9_]+)(?::-(.*))?}");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern LEADING_CODE = Pattern.compile("^(`[^`]*`)(,\\s*`[^`]*`)*");

    /** What one source says of one option of one command; {@code defaultValue} null: no literal default. */
    record Entry(String env, String defaultValue) {
    }

    static Map<String, Entry> documented;
    static Map<String, Entry> implemented;

    @BeforeAll
    static void readBothSides() throws IOException {
        documented = documented(document());
        implemented = implemented();
    }

    @Test
    void listsEveryOptionOfTheRoleCommands() {
        assertThat(documented.keySet()).as("options of %s in the configuration table of %s", ROLES, DOCUMENT)
                .containsAll(implemented.keySet());
    }

    @Test
    void listsNoOptionTheRoleCommandsDoNotHave() {
        assertThat(implemented.keySet()).as("options the role commands have").containsAll(documented.keySet());
    }

    @Test
    void givesEachOptionTheVariableAndTheDefaultOfTheCode() {
        Map<String, Entry> inDocument = new LinkedHashMap<>();
        Map<String, Entry> inCode = new LinkedHashMap<>();
        implemented.forEach((option, entry) -> {
            if (documented.containsKey(option)) {
                inDocument.put(option, documented.get(option));
                inCode.put(option, entry);
            }
        });
        assertThat(inDocument).as("variables and defaults in the configuration table of %s", DOCUMENT)
                .containsExactlyInAnyOrderEntriesOf(inCode);
    }

    /** (command flag) → its variable and default, as the picocli model of the role commands has them. */
    private static Map<String, Entry> implemented() {
        Map<String, Entry> options = new LinkedHashMap<>();
        for (String role : ROLES) {
            CommandLine command = Granary.commandLine().getSubcommands().get(role);
            assertThat(command).as("subcommand %s", role).isNotNull();
            command.getCommandSpec().interpolateVariables(false); // ${env:NAME:-default}, whatever is set here
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                String raw = option.defaultValue();
                Matcher m = ENV_DEFAULT.matcher(raw == null ? "" : raw);
                Entry entry = m.matches() ? new Entry(m.group(1), m.group(2)) : new Entry(null, raw);
                options.put(role + " " + option.longestName(), entry);
            }
        }
        return options;
    }

    /** (command flag) → its variable and default, as the configuration table gives them. */
    private static Map<String, Entry> documented(String document) {
        Map<String, Entry> options = new LinkedHashMap<>();
        List<String> commands = List.of();
        for (String line : table(document)) {
            List<String> cells = cells(line);
            assertThat(cells).as("cells of %s", line).hasSize(5);
            if (!cells.get(0).isBlank()) {
                commands = codeSpans(cells.get(0));
            }
            List<String> flags = codeSpans(cells.get(1));
            List<String> envs = codeSpans(cells.get(2));
            Matcher leading = LEADING_CODE.matcher(cells.get(3));
            List<String> defaults = leading.find() ? codeSpans(leading.group()) : List.of();
            for (String command : commands) {
                if (!ROLES.contains(command)) {
                    continue;
                }
                assertThat(envs).as("variables of %s", line).hasSize(flags.size());
                assertThat(defaults.size()).as("defaults of %s: one per flag, or none", line)
                        .isIn(0, flags.size());
                for (int i = 0; i < flags.size(); i++) {
                    Entry entry = new Entry(envs.get(i), defaults.isEmpty() ? null : defaults.get(i));
                    Entry earlier = options.put(command + " " + flags.get(i), entry);
                    assertThat(earlier).as("%s %s listed once", command, flags.get(i)).isNull();
                }
            }
        }
        assertThat(options).as("role options in the configuration table of %s", DOCUMENT).isNotEmpty();
        return options;
    }

    /** The table's rows, without its header and separator. */
    private static List<String> table(String document) {
        List<String> lines = document.lines().toList();
        int header = lines.indexOf(HEADER);
        assertThat(header).as("the configuration table of %s, headed %s", DOCUMENT, HEADER).isNotNegative();
        List<String> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            rows.add(lines.get(i));
        }
        return rows;
    }

    /** The cells of a row; a {@code |} inside a code span belongs to the cell. */
    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean inCode = false;
        for (char c : row.strip().substring(1).toCharArray()) {
            if (c == '`') {
                inCode = !inCode;
            }
            if (c == '|' && !inCode) {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return cells;
    }

    private static List<String> codeSpans(String text) {
        List<String> spans = new ArrayList<>();
        Matcher m = CODE.matcher(text);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }

    /** docs/configuration.md, found from the module's directory upwards. */
    private static String document() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve(DOCUMENT))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a directory above the module with %s", DOCUMENT).isNotNull();
        return Files.readString(dir.resolve(DOCUMENT));
    }
}
