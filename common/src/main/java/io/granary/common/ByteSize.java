package io.granary.common;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes as operators write it: {@code 64MiB}, {@code 256KiB}, {@code 1GiB}, {@code 4096}.
 * Binary units only (KiB = 1024 bytes); {@code KB}, {@code MB}, {@code GB} and {@code K}, {@code M},
 * {@code G} are read as their binary counterparts, as most storage tools do.
 */
public final class ByteSize {
    public static final long KIB = 1024;
    public static final long MIB = 1024 * KIB;
    public static final long GIB = 1024 * MIB;
    public static final long TIB = 1024 * GIB;

    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d+)\\s*([kmgt]?)(i?b)?\\s*");

    private ByteSize() {
    }

    /**
     * Parses a size such as {@code 64MiB}.
     *
     * @throws IllegalArgumentException with a message naming the bad text, when it is not a size
     */
    public static long parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a size: write a whole number of bytes with an optional unit, like 64MiB or 256KiB");
        }
        long unit = switch (m.group(2)) {
            case "k" -> KIB;
            case "m" -> MIB;
            case "g" -> GIB;
            case "t" -> TIB;
            default -> 1;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
    }

    /** Formats bytes with the largest binary unit that divides them exactly, e.g. {@code 64MiB}. */
    public static String format(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        long[] sizes = {TIB, GIB, MIB, KIB};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % sizes[i] == 0) {
                return bytes / sizes[i] + units[i];
            }
        }
        return bytes + "B";
    }
}
