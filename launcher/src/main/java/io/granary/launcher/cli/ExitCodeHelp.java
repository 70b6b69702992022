package io.granary.launcher.cli;

/**
 * The lines of {@link ExitCodes} as a command's {@code --help} lists them (picocli's
 * {@code exitCodeList}: "code:meaning"). Constants, so that annotations can name them.
 */
final class ExitCodeHelp {
    static final String HEADING = "%nExit codes:%n";
    static final String OK = "0:done";
    static final String USAGE = "1:bad arguments or path, or a local file or folder missing or of the wrong kind";
    static final String NOT_FOUND = "2:nothing at that path in Granary";
    static final String CONFLICT = "3:a conflict or a failed precondition";
    static final String UNAVAILABLE = "4:the gateway cannot be reached or answered 5xx";
    static final String AUTH = "5:not authenticated or not allowed";
    static final String PARTIAL = "7:some entries failed (each reported on stderr); the others were done";

    private ExitCodeHelp() {
    }
}
