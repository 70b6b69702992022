package io.granary.gateway.s3;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where an S3 request points: its bucket (empty for the service), its key (empty for a bucket) and
 * its query parameters, all decoded from the raw request line. Path style puts the bucket first in
 * the path; virtual-hosted style puts it before the configured domain in {@code Host}.
 */
record S3Request(String method, String bucket, String key, Map<String, String> query) {

    /**
     * Parses the raw path and query of a request to {@code host}.
     *
     * @throws S3Exception InvalidURI-style InvalidArgument for percent-encoding that is not UTF-8
     */
    static S3Request parse(String method, String host, String rawPath, String rawQuery, String domain) {
        String path = decode(rawPath == null ? "/" : rawPath, false);
        String bucket;
        String key;
        String virtualBucket = virtualHostBucket(host, domain);
        String rest = path.startsWith("/") ? path.substring(1) : path;
        if (virtualBucket != null) {
            bucket = virtualBucket;
            key = rest;
        } else {
            int slash = rest.indexOf('/');
            bucket = slash < 0 ? rest : rest.substring(0, slash);
            key = slash < 0 ? "" : rest.substring(slash + 1);
        }
        return new S3Request(method.toUpperCase(Locale.ROOT), bucket, key, query(rawQuery));
    }

    boolean has(String parameter) {
        return query.containsKey(parameter);
    }

    String param(String parameter) {
        return query.get(parameter);
    }

    /**
     * A page size parameter such as {@code max-keys}: absent gives {@code most}, a larger value is
     * lowered to it, as S3 does.
     *
     * @throws S3Exception InvalidArgument for anything but a whole number from 0
     */
    int pageSize(String parameter, int most) {
        String text = query.get(parameter);
        if (text == null) {
            return most;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 0) {
                return Math.min(value, most);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, parameter + " must be a whole number from 0, not '"
                + text + "'");
    }

    private static String virtualHostBucket(String host, String domain) {
        if (domain.isEmpty() || host == null) {
            return null;
        }
        String name = host.toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(']') < colon) {
            name = name.substring(0, colon);
        }
        if (name.endsWith("." + domain)) {
            return name.substring(0, name.length() - domain.length() - 1);
        }
        return null;
    }

    private static Map<String, String> query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            params.putIfAbsent(name, value);
        }
        return Collections.unmodifiableMap(params);
    }

    /** Percent-decoding as UTF-8, strictly; in a query {@code +} is a space. */
    static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw badEncoding(raw);
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw badEncoding(raw);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw badEncoding(raw);
        }
    }

    private static S3Exception badEncoding(String raw) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Couldn't parse the specified URI: its "
                + "percent-encoding is not UTF-8");
    }
}
