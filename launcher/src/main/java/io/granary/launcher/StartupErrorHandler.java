package io.granary.launcher;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure to start (a bad setting, a port in use, Redis unreachable) into one clear line on
 * stderr and exit code 2, instead of a stack trace. The cause is still in the log at debug.
 */
final class StartupErrorHandler implements IExecutionExceptionHandler {
    static final int STARTUP_FAILED = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        cli.getErr().println("granary " + cli.getCommandName() + ": cannot start: " + describe(e));
        org.slf4j.LoggerFactory.getLogger(StartupErrorHandler.class).debug("start-up failure", e);
        return STARTUP_FAILED;
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
