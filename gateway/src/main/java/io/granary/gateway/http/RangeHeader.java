package io.granary.gateway.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code Range} request header (RFC 9110 §14.2) resolved against a representation's size.
 * A header that is absent, malformed or in another unit is ignored (the whole body is sent, as the
 * RFC allows). Several ranges are answered with the whole body ({@code 200}) instead of
 * {@code multipart/byteranges}, which the RFC also allows.
 */
public final class RangeHeader {
    /** More ranges than this in one header is not a real client; the header is ignored. */
    static final int MAX_RANGES = 100;

    private RangeHeader() {
    }

    /** What to send for a request. */
    public sealed interface Selection {
    }

    /** The whole representation, 200. */
    public record Whole() implements Selection {
    }

    /** Bytes {@code first..last} inclusive, 206. */
    public record Part(long first, long last) implements Selection {
        public long length() {
            return last - first + 1;
        }

        public String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    /** No range of the header overlaps the representation, 416. */
    public record Unsatisfiable() implements Selection {
        public static String contentRange(long size) {
            return "bytes */" + size;
        }
    }

    private record Spec(long first, long last, long suffix) {
        boolean isSuffix() {
            return first < 0;
        }
    }

    public static Selection select(String header, long size) {
        List<Spec> specs = header == null ? null : parse(header);
        if (specs == null) {
            return new Whole();
        }
        // An empty file has no byte to send: even a suffix range cannot be answered with a 206.
        boolean satisfiable = size > 0
                && specs.stream().anyMatch(s -> s.isSuffix() ? s.suffix() > 0 : s.first() < size);
        if (!satisfiable) {
            return new Unsatisfiable();
        }
        if (specs.size() > 1) {
            return new Whole();
        }
        Spec only = specs.get(0);
        return only.isSuffix()
                ? new Part(Math.max(0, size - only.suffix()), size - 1)
                : new Part(only.first(), Math.min(only.last(), size - 1));
    }

    /** The range specs of a {@code bytes=} header, or null when it is to be ignored. */
    private static List<Spec> parse(String header) {
        int equals = header.indexOf('=');
        if (equals < 0 || !header.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
            return null;
        }
        String[] parts = header.substring(equals + 1).split(",", -1);
        if (parts.length > MAX_RANGES) {
            return null;
        }
        List<Spec> specs = new ArrayList<>();
        for (String part : parts) {
            String spec = part.trim();
            if (spec.isEmpty()) {
                continue; // the RFC's list syntax allows empty elements
            }
            Spec parsed = parseSpec(spec);
            if (parsed == null) {
                return null;
            }
            specs.add(parsed);
        }
        return specs.isEmpty() ? null : specs;
    }

    private static Spec parseSpec(String spec) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        long first = digits(spec.substring(0, dash));
        long last = digits(spec.substring(dash + 1));
        if (dash == 0) {
            return last < 0 ? null : new Spec(-1, -1, last);
        }
        if (first < 0 || (dash < spec.length() - 1 && (last < 0 || last < first))) {
            return null;
        }
        return new Spec(first, dash == spec.length() - 1 ? Long.MAX_VALUE : last, 0);
    }

    /** A non-negative decimal number, or -1 when the text is not one (or too large). */
    private static long digits(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(text);
    }
}
