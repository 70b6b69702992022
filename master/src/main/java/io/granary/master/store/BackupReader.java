package io.granary.master.store;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.master.store.BackupFormat.KeyType;
import io.lettuce.core.ScoredValue;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a backup file from start to end, handing each key to a {@link Visitor} in pages of at most
 * {@link BackupFormat#PAGE} elements, so that a key of any size is never held whole. It checks as it
 * goes everything a restore relies on: the header's format and version, the schema version, the shape
 * of every line, and the trailer with the count of keys; a file that fails is refused with
 * INVALID_ARGUMENT (not a backup of this format), FAILED_PRECONDITION (a newer schema) or DATA_LOSS
 * (truncated or damaged). Not thread-safe.
 */
final class BackupReader {

    /** The header line. */
    record Header(int version, int schema, String prefix, String created) {
    }

    /** What a read hands on; a read that fails stops at the line it cannot take. */
    interface Visitor {
        /** A key begins; its name is without the prefix, its time to live -1 (none) or milliseconds. */
        void key(String key, KeyType type, long ttlMs);

        /** A page of a value: a string's value; a hash's fields and values alternating; list or set elements. */
        void strings(List<String> page);

        /** A page of a sorted set's members with their scores. */
        void scored(List<ScoredValue<String>> page);
    }

    /** Takes nothing: a read that only checks the file. */
    static final Visitor CHECK_ONLY = new Visitor() {
        @Override
        public void key(String key, KeyType type, long ttlMs) {
        }

        @Override
        public void strings(List<String> page) {
        }

        @Override
        public void scored(List<ScoredValue<String>> page) {
        }
    };

    private final Path file;
    private final int schemaUnderstood;

    BackupReader(Path file, int schemaUnderstood) {
        this.file = file;
        this.schemaUnderstood = schemaUnderstood;
    }

    /** Reads the whole file; answers its header and the number of keys, equal to the trailer's. */
    Header read(Visitor visitor) throws IOException {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)), 1 << 16);
             JsonParser json = BackupFormat.JSON.createParser(in)) {
            Header header = header(json);
            long keys = 0;
            while (true) {
                expect(json.nextToken(), JsonToken.START_OBJECT, "a key or the trailer");
                String first = fieldName(json);
                if (first.equals(BackupFormat.END)) {
                    trailer(json, keys);
                    return header;
                }
                keyLine(json, first, visitor);
                keys++;
            }
        } catch (EOFException e) {
            throw damaged("it ends early (" + e.getMessage() + ")");
        } catch (ZipException e) {
            throw damaged("it is not gzip'd as a backup is (" + e.getMessage() + ")");
        } catch (JsonParseException e) {
            throw damaged("it is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private Header header(JsonParser json) throws IOException {
        if (json.nextToken() != JsonToken.START_OBJECT) {
            throw notABackup();
        }
        String format = null;
        String prefix = null;
        String created = null;
        int version = -1;
        int schema = -1;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken token = json.nextToken();
            switch (name) {
                case BackupFormat.HEADER_FORMAT -> format = json.getValueAsString();
                case BackupFormat.HEADER_VERSION -> version = token == JsonToken.VALUE_NUMBER_INT ? json.getIntValue() : -1;
                case BackupFormat.HEADER_SCHEMA -> schema = token == JsonToken.VALUE_NUMBER_INT ? json.getIntValue() : -1;
                case BackupFormat.HEADER_PREFIX -> prefix = json.getValueAsString();
                case BackupFormat.HEADER_CREATED -> created = json.getValueAsString();
                default -> json.skipChildren();
            }
        }
        if (!BackupFormat.FORMAT.equals(format)) {
            throw notABackup();
        }
        if (version != BackupFormat.VERSION) {
            throw new GranaryException(ErrorKind.INVALID_ARGUMENT, file + " is a backup of format version " + version
                    + "; this Granary reads version " + BackupFormat.VERSION + " only");
        }
        if (schema < 1) {
            throw damaged("its header has no schema version");
        }
        if (schema > schemaUnderstood) {
            throw new GranaryException(ErrorKind.FAILED_PRECONDITION, file + " holds a namespace of schema version "
                    + schema + ", written by a newer Granary; this one understands up to version " + schemaUnderstood);
        }
        return new Header(version, schema, prefix, created);
    }

    private void keyLine(JsonParser json, String first, Visitor visitor) throws IOException {
        expectField(first, BackupFormat.KEY);
        String key = text(json, "the key's name");
        if (key.isEmpty()) {
            throw damaged("a key has an empty name");
        }
        expectField(fieldName(json), BackupFormat.TYPE);
        String typeName = text(json, "the type of " + key);
        KeyType type = KeyType.of(typeName);
        if (type == null) {
            throw damaged("key " + key + " has an unknown type '" + typeName + "'");
        }
        expectField(fieldName(json), BackupFormat.TTL);
        expect(json.nextToken(), JsonToken.VALUE_NUMBER_INT, "the time to live of " + key);
        long ttl = json.getLongValue();
        if (ttl < -1) {
            throw damaged("key " + key + " has a time to live of " + ttl + " ms");
        }
        expectField(fieldName(json), BackupFormat.VALUE);
        visitor.key(key, type, ttl);
        switch (type) {
            case STRING -> visitor.strings(List.of(text(json, "the value of " + key)));
            case HASH -> hash(json, key, visitor);
            case LIST, SET -> elements(json, key, visitor);
            case ZSET -> members(json, key, visitor);
        }
        expect(json.nextToken(), JsonToken.END_OBJECT, "the end of key " + key);
    }

    private void hash(JsonParser json, String key, Visitor visitor) throws IOException {
        expect(json.nextToken(), JsonToken.START_OBJECT, "the fields of hash " + key);
        List<String> page = new ArrayList<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            page.add(json.currentName());
            page.add(text(json, "a field of hash " + key));
            if (page.size() >= 2 * BackupFormat.PAGE) {
                visitor.strings(page);
                page = new ArrayList<>();
            }
        }
        expect(json.currentToken(), JsonToken.END_OBJECT, "the end of hash " + key);
        if (!page.isEmpty()) {
            visitor.strings(page);
        }
    }

    private void elements(JsonParser json, String key, Visitor visitor) throws IOException {
        expect(json.nextToken(), JsonToken.START_ARRAY, "the elements of " + key);
        List<String> page = new ArrayList<>();
        JsonToken token;
        while ((token = json.nextToken()) == JsonToken.VALUE_STRING) {
            page.add(json.getText());
            if (page.size() >= BackupFormat.PAGE) {
                visitor.strings(page);
                page = new ArrayList<>();
            }
        }
        expect(token, JsonToken.END_ARRAY, "a string element of " + key);
        if (!page.isEmpty()) {
            visitor.strings(page);
        }
    }

    private void members(JsonParser json, String key, Visitor visitor) throws IOException {
        expect(json.nextToken(), JsonToken.START_ARRAY, "the members of " + key);
        List<ScoredValue<String>> page = new ArrayList<>();
        JsonToken token;
        while ((token = json.nextToken()) == JsonToken.START_ARRAY) {
            String member = text(json, "a member of " + key);
            page.add(ScoredValue.just(score(json, key), member));
            expect(json.nextToken(), JsonToken.END_ARRAY, "[member, score] in " + key);
            if (page.size() >= BackupFormat.PAGE) {
                visitor.scored(page);
                page = new ArrayList<>();
            }
        }
        expect(token, JsonToken.END_ARRAY, "a [member, score] of " + key);
        if (!page.isEmpty()) {
            visitor.scored(page);
        }
    }

    private double score(JsonParser json, String key) throws IOException {
        JsonToken token = json.nextToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return json.getDoubleValue();
        }
        if (token == JsonToken.VALUE_STRING && json.getText().equals(BackupFormat.infinity(1))) {
            return Double.POSITIVE_INFINITY;
        }
        if (token == JsonToken.VALUE_STRING && json.getText().equals(BackupFormat.infinity(-1))) {
            return Double.NEGATIVE_INFINITY;
        }
        throw damaged("a member of " + key + " has no score");
    }

    private void trailer(JsonParser json, long keys) throws IOException {
        expect(json.nextToken(), JsonToken.VALUE_TRUE, "\"end\": true");
        expectField(fieldName(json), BackupFormat.KEYS);
        expect(json.nextToken(), JsonToken.VALUE_NUMBER_INT, "the trailer's count of keys");
        long counted = json.getLongValue();
        expect(json.nextToken(), JsonToken.END_OBJECT, "the end of the trailer");
        if (counted != keys) {
            throw damaged("its trailer counts " + counted + " keys, but it holds " + keys);
        }
        if (json.nextToken() != null) {
            throw damaged("something follows its trailer");
        }
    }

    private String fieldName(JsonParser json) throws IOException {
        JsonToken token = json.nextToken();
        if (token == null) {
            throw damaged("it ends early, without its trailer");
        }
        expect(token, JsonToken.FIELD_NAME, "a field");
        return json.currentName();
    }

    private String text(JsonParser json, String what) throws IOException {
        expect(json.nextToken(), JsonToken.VALUE_STRING, what);
        return json.getText();
    }

    private void expectField(String name, String expected) {
        if (!name.equals(expected)) {
            throw damaged("a line has '" + name + "' where '" + expected + "' belongs");
        }
    }

    private void expect(JsonToken token, JsonToken expected, String what) {
        if (token == null) {
            throw damaged("it ends early, without its trailer");
        }
        if (token != expected) {
            throw damaged("expected " + what + ", found " + token);
        }
    }

    private GranaryException notABackup() {
        return new GranaryException(ErrorKind.INVALID_ARGUMENT, file + " is not a Granary metadata backup");
    }

    private GranaryException damaged(String why) {
        return new GranaryException(ErrorKind.DATA_LOSS, file + " is truncated or damaged: " + why);
    }
}
