package io.granary.master.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.util.Locale;

/**
 * The file format of a metadata backup, version {@value #VERSION} (docs/redis-schema.md, "Backup
 * format"): gzip'd JSON Lines, a header line, one line per key (its name without the prefix, its
 * type, its time to live, its value) in the order {@code key, type, ttlMs, value}, and a trailer line
 * with the number of key lines, so that a truncated file is told from a complete one.
 */
final class BackupFormat {
    /** The header's {@code format}: what the file is. */
    static final String FORMAT = "granary-metadata-backup";
    /** The version of this format written, and the only one read. */
    static final int VERSION = 1;
    /** Elements a page of a key's value holds, read from Redis or written to it in one command. */
    static final int PAGE = 1000;

    static final String HEADER_FORMAT = "format";
    static final String HEADER_VERSION = "version";
    static final String HEADER_SCHEMA = "schema";
    static final String HEADER_PREFIX = "prefix";
    static final String HEADER_CREATED = "created";
    static final String KEY = "key";
    static final String TYPE = "type";
    static final String TTL = "ttlMs";
    static final String VALUE = "value";
    static final String END = "end";
    static final String KEYS = "keys";

    /** No line separator of Jackson's own: every line ends with an explicit newline. */
    static final JsonFactory JSON = new JsonFactoryBuilder()
            .rootValueSeparator((String) null)
            // a value is read in pages, but one string (a field, a member) may still be long
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(512 * 1024 * 1024).build())
            .build();

    /** The Redis types a namespace holds, by the names TYPE answers and the file writes. */
    enum KeyType {
        STRING, HASH, LIST, SET, ZSET;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The type named {@code name}; null for a type a backup cannot hold. */
        static KeyType of(String name) {
            for (KeyType type : values()) {
                if (type.wireName().equals(name)) {
                    return type;
                }
            }
            return null;
        }
    }

    /** A sorted-set score as JSON holds it: a number, or the string {@code inf} / {@code -inf}. */
    static String infinity(double score) {
        return score > 0 ? "inf" : "-inf";
    }

    private BackupFormat() {
    }
}
