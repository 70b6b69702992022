package io.granary.common;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A validated namespace path: '/'-separated UTF-8, at most {@value #MAX_BYTES} bytes, with no empty,
 * {@code .} or {@code ..} segment and no control characters. Leading and trailing slashes are
 * accepted and dropped, so {@code /a/b/} and {@code a/b} are the same path. The root is the empty
 * path.
 */
public record GranaryPath(String value) {
    public static final int MAX_BYTES = 1024;
    public static final GranaryPath ROOT = new GranaryPath("");

    public GranaryPath {
        String problem = problem(value);
        if (problem != null) {
            throw new GranaryException(ErrorKind.INVALID_ARGUMENT, problem);
        }
    }

    /**
     * Normalises and validates a path as a user wrote it.
     *
     * @throws GranaryException of kind {@link ErrorKind#INVALID_ARGUMENT} saying what is wrong
     */
    public static GranaryPath of(String raw) {
        if (raw == null) {
            throw new GranaryException(ErrorKind.INVALID_ARGUMENT, "a path is required");
        }
        String trimmed = raw;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return new GranaryPath(trimmed);
    }

    private static String problem(String value) {
        if (value == null) {
            return "a path is required";
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "path is longer than " + MAX_BYTES + " bytes";
        }
        if (value.isEmpty()) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return "path contains a control character at position " + i;
            }
            if (Character.isSurrogate(c) && !validSurrogate(value, i)) {
                return "path is not valid UTF-16/UTF-8 text";
            }
        }
        for (String segment : value.split("/", -1)) {
            if (segment.isEmpty()) {
                return "path has an empty segment ('//')";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "path has a '" + segment + "' segment";
            }
        }
        return null;
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    public boolean isRoot() {
        return value.isEmpty();
    }

    /** The segments from the root down; empty for the root. */
    public List<String> segments() {
        return isRoot() ? List.of() : Arrays.asList(value.split("/"));
    }

    /** The last segment; empty for the root. */
    public String name() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    /** The parent path; the root's parent is the root. */
    public GranaryPath parent() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? ROOT : new GranaryPath(value.substring(0, slash));
    }

    @Override
    public String toString() {
        return "/" + value;
    }
}
