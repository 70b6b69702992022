package io.granary.master.model;

import io.granary.common.GranaryException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What must be at a path for a write to it to commit (HTTP If-Match / If-None-Match). Checked when
 * the upload starts, for a fast failure, and again atomically at commit; a condition that does not
 * hold is PRECONDITION_FAILED and changes nothing.
 *
 * @param ifMatchSha256 lower-case hex SHA-256 the current file must have, {@code "*"} for "a file must
 *                      be there", or {@code ""} for no such condition
 * @param ifNoneMatch   nothing may be at the path
 */
public record WritePrecondition(String ifMatchSha256, boolean ifNoneMatch) {
    public static final WritePrecondition NONE = new WritePrecondition("", false);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Normalises the hash to lower case; INVALID_ARGUMENT when it is neither a SHA-256, "*" nor "". */
    public WritePrecondition {
        ifMatchSha256 = ifMatchSha256 == null ? "" : ifMatchSha256.strip().toLowerCase(Locale.ROOT);
        if (!ifMatchSha256.isEmpty() && !ifMatchSha256.equals("*") && !SHA256.matcher(ifMatchSha256).matches()) {
            throw GranaryException.invalid("if-match '" + ifMatchSha256 + "' is not a SHA-256 (64 hex digits) or '*'");
        }
    }
}
