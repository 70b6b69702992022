package io.granary.launcher.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The lines of {@link ExitCodes} as a command's {@code --help} lists them (picocli's
 * {@code exitCodeList}: "code:meaning"). Constants, so that annotations can name them: a command whose
 * codes differ from {@link #COMMON} (exit 6 of fsck, 7 of a bulk copy) lists its own; every other client
 * command gets {@link #COMMON} from {@link #listOnEveryClientCommand}.
 */
public final class ExitCodeHelp {
    static final String HEADING = "%nExit codes:%n";
    static final String OK = "0:done";
    static final String USAGE = "1:bad arguments or path, or a local file or folder missing or of the wrong kind";
    static final String NOT_FOUND = "2:nothing at that path in Granary";
    static final String CONFLICT = "3:a conflict or a failed precondition";
    static final String UNAVAILABLE = "4:the gateway cannot be reached or answered 5xx";
    static final String AUTH = "5:not authenticated or not allowed";
    static final String UNHEALTHY = "6:fsck found a chunk missing, corrupt or under-replicated";
    static final String PARTIAL = "7:some entries failed (each reported on stderr); the others were done";
    /** What any client command may end with. */
    static final String[] COMMON = {OK, USAGE, NOT_FOUND, CONFLICT, UNAVAILABLE, AUTH};

    private ExitCodeHelp() {
    }

    /** Ends the {@code --help} of every client command under {@code root} with its exit codes. */
    public static void listOnEveryClientCommand(CommandLine root) {
        if (root.getCommand().getClass().getPackageName().equals(ExitCodeHelp.class.getPackageName())) {
            UsageMessageSpec usage = root.getCommandSpec().usageMessage();
            if (usage.exitCodeList().isEmpty()) {
                Map<String, String> codes = new LinkedHashMap<>();
                for (String line : COMMON) {
                    int colon = line.indexOf(':');
                    codes.put(line.substring(0, colon), line.substring(colon + 1));
                }
                usage.exitCodeListHeading(HEADING).exitCodeList(codes);
            }
        }
        root.getSubcommands().values().forEach(ExitCodeHelp::listOnEveryClientCommand);
    }
}
