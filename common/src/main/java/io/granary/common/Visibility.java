package io.granary.common;

import java.util.Locale;

/** Who may read a file without a token: nobody ({@link #PRIVATE}, the default) or anyone ({@link #PUBLIC}). */
public enum Visibility {
    PRIVATE,
    PUBLIC;

    /** {@code private} or {@code public}, as JSON, query parameters and Redis write it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The visibility named {@code text}.
     *
     * @throws GranaryException INVALID_ARGUMENT for anything but {@code private} or {@code public}
     */
    public static Visibility parse(String text) {
        if ("private".equals(text)) {
            return PRIVATE;
        }
        if ("public".equals(text)) {
            return PUBLIC;
        }
        throw GranaryException.invalid("visibility must be 'private' or 'public', not '" + text + "'");
    }
}
