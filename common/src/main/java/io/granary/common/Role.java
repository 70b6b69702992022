package io.granary.common;

import java.util.Locale;

/** What a token may do, each role including the ones below it: reader < writer < admin. */
public enum Role {
    /** Reads files, stats, listings and the cluster view. */
    READER,
    /** Also uploads, and changes or deletes what it owns. */
    WRITER,
    /** Everything, including other principals' files, tokens and fsck. */
    ADMIN;

    /** True when this role includes {@code needed}. */
    public boolean atLeast(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The name used in JSON and in Redis: {@code reader}, {@code writer}, {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role named {@code text} (case-insensitive).
     *
     * @throws GranaryException INVALID_ARGUMENT for anything else
     */
    public static Role parse(String text) {
        if (text != null) {
            for (Role role : values()) {
                if (role.wireName().equalsIgnoreCase(text.trim())) {
                    return role;
                }
            }
        }
        throw GranaryException.invalid("role must be reader, writer or admin, not '" + text + "'");
    }
}
