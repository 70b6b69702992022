package io.granary.launcher.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which of a copy's two paths is local and which is in Granary. {@code gr:} marks a Granary path
 * ({@code gr:/videos}); {@code .}, {@code ..} and paths starting with {@code ./} or {@code ../} are
 * local. When one side is marked, the other is of the other kind; when neither is,
 * a source that exists locally is uploaded, and any other source is downloaded.
 *
 * @param upload true from local to Granary, false from Granary to local
 * @param source the source path, without its mark
 * @param target the target path, without its mark
 */
record CopyEnds(boolean upload, String source, String target) {
    static final String REMOTE_MARK = "gr:";

    private enum Side { LOCAL, REMOTE, UNMARKED }

    static CopyEnds of(String source, String target) {
        Side from = side(source);
        Side to = side(target);
        if (from != Side.UNMARKED && from == to) {
            throw new CliException(ExitCodes.USAGE, "one of SRC and DST must be local and the other in Granary (mark "
                    + "a Granary path with " + REMOTE_MARK + ", a local one with ./)");
        }
        boolean upload = from == Side.LOCAL || to == Side.REMOTE
                || (from == Side.UNMARKED && to == Side.UNMARKED && Files.exists(Path.of(source)));
        return new CopyEnds(upload, strip(source), strip(target));
    }

    private static Side side(String path) {
        if (path.startsWith(REMOTE_MARK)) {
            return Side.REMOTE;
        }
        boolean local = path.equals(".") || path.equals("..") || path.startsWith("./") || path.startsWith("../");
        return local ? Side.LOCAL : Side.UNMARKED;
    }

    private static String strip(String path) {
        return path.startsWith(REMOTE_MARK) ? path.substring(REMOTE_MARK.length()) : path;
    }
}
