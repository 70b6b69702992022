package io.granary.launcher.cli;

/**
 * The exit codes of the command-line client, which scripts may rely on. The gateway's HTTP status
 * decides them, in one place: {@link GatewayHttp#exitCodeFor(int)}.
 */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;
    /** Bad arguments, a bad path (HTTP 400 and other 4xx not listed below), or a local file problem. */
    public static final int USAGE = 1;
    /** Nothing at that path (HTTP 404). */
    public static final int NOT_FOUND = 2;
    /** A conflict or a failed precondition (HTTP 409, 412): e.g. the target of a move exists. */
    public static final int CONFLICT = 3;
    /** The gateway cannot be reached, timed out, or answered 5xx (e.g. too few chunkservers alive). */
    public static final int UNAVAILABLE = 4;
    /** Not authenticated or not allowed (HTTP 401, 403). */
    public static final int AUTH = 5;
    /** {@code fsck} found chunks that are missing, corrupt or under-replicated: the cluster is not healthy. */
    public static final int UNHEALTHY = 6;
    /**
     * A recursive command ({@code cp -r}, {@code mirror}) did what it could but some entries failed;
     * each failure was reported on its own line.
     */
    public static final int PARTIAL = 7;

    private ExitCodes() {
    }
}
