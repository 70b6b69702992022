package io.granary.master.audit;

import io.granary.common.GranaryException;
import java.util.regex.Pattern;

/**
 * What to list from the audit log: entries between two times (ms since the Unix epoch, inclusive; 0
 * for no bound), of one actor, at or below a path, of one action ("" for any), older than the entry
 * {@code after} ("" to start at the newest), at most {@code limit} of them (0 for
 * {@value #DEFAULT_LIMIT}).
 */
public record AuditQuery(long sinceMs, long untilMs, String actor, String pathPrefix, String action, String after,
                         int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final Pattern STREAM_ID = Pattern.compile("\\d{1,19}-\\d{1,19}");

    /**
     * Normalises the query.
     *
     * @throws GranaryException INVALID_ARGUMENT for a negative time, a limit beyond {@value #MAX_LIMIT} or a
     *     cursor that is not an entry id
     */
    public AuditQuery {
        if (sinceMs < 0 || untilMs < 0) {
            throw GranaryException.invalid("since and until are milliseconds since the Unix epoch, not negative");
        }
        if (limit < 0 || limit > MAX_LIMIT) {
            throw GranaryException.invalid("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        limit = limit == 0 ? DEFAULT_LIMIT : limit;
        actor = actor == null ? "" : actor;
        action = action == null ? "" : action;
        after = after == null ? "" : after;
        pathPrefix = pathPrefix == null || pathPrefix.isEmpty() || pathPrefix.equals("/") ? ""
                : "/" + stripSlashes(pathPrefix);
        if (!after.isEmpty() && !STREAM_ID.matcher(after).matches()) {
            throw GranaryException.invalid("after must be the next of a previous page, like 1718000000000-0, not '"
                    + after + "'");
        }
    }

    /** The newest entries, every kind. */
    public static AuditQuery newest(int limit) {
        return new AuditQuery(0, 0, "", "", "", "", limit);
    }

    /** Whether {@code entry} passes the filters (the times and the cursor are the scan's bounds). */
    public boolean matches(AuditEntry entry) {
        return (actor.isEmpty() || actor.equals(entry.actor()))
                && (action.isEmpty() || action.equals(entry.action()))
                && (pathPrefix.isEmpty() || entry.path().equals(pathPrefix)
                        || entry.path().startsWith(pathPrefix + "/"));
    }

    private static String stripSlashes(String path) {
        int from = 0;
        int to = path.length();
        while (from < to && path.charAt(from) == '/') {
            from++;
        }
        while (to > from && path.charAt(to - 1) == '/') {
            to--;
        }
        return path.substring(from, to);
    }
}
