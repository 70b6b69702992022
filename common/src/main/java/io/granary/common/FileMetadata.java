package io.granary.common;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bounds of a file's metadata: the name → value attributes stored with a file at upload (user
 * metadata and the HTTP headers the gateway keeps, opaque to the master). Defined once for every role:
 * the master enforces them, and a gateway can check a request against them before sending any byte.
 * Names are non-empty printable ASCII without {@code ':'} (the master's store keys them behind a
 * prefix with a colon); values are any text without control characters; together they are at most
 * {@link #MAX_BYTES} in UTF-8.
 */
public final class FileMetadata {
    /** Names and values together, in UTF-8: S3's limit of user metadata. */
    public static final int MAX_BYTES = 2 * 1024;

    private FileMetadata() {
    }

    /**
     * Checks metadata and answers it as an immutable, name-ordered copy; null is empty.
     *
     * @throws GranaryException INVALID_ARGUMENT saying which name or value is wrong, or how large it is
     */
    public static Map<String, String> check(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        long bytes = 0;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            String name = entry.getKey();
            String value = entry.getValue() == null ? "" : entry.getValue();
            if (name == null || name.isEmpty() || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != ':')) {
                throw GranaryException.invalid("metadata name '" + name + "' must be non-empty printable ASCII "
                        + "without ':'");
            }
            if (value.chars().anyMatch(Character::isISOControl)) {
                throw GranaryException.invalid("metadata value of '" + name + "' holds a control character");
            }
            bytes += name.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_BYTES) {
            throw GranaryException.invalid("metadata has " + bytes + " bytes of names and values: at most "
                    + MAX_BYTES + " are allowed");
        }
        Map<String, String> copy = new TreeMap<>();
        metadata.forEach((name, value) -> copy.put(name, value == null ? "" : value));
        return Collections.unmodifiableMap(copy);
    }
}
