package io.granary.gateway.s3;

import io.granary.client.GranaryClient;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.Role;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.FileMeta;
import io.granary.gateway.auth.Principal;
import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.granary.gateway.s3.protocol.S3Times;
import io.granary.gateway.s3.protocol.XmlWriter;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;

/**
 * ListObjectsV2 and ListObjects (v1): a bucket's keys in S3's order ({@link KeyWalk}), with prefix,
 * delimiter, max-keys, start-after and markers. A continuation token is the last key or common
 * prefix of the page, base64url-encoded. Any delimiter works; {@code /}, the one clients use, is
 * answered from the directories without walking below them.
 */
final class Listings {
    /** The most keys a page holds, as in S3. */
    static final int MAX_KEYS = 1000;

    void listV2(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        Principal who = caller.require(Role.READER);
        BucketOperations.existing(client, request.bucket());
        String token = request.param("continuation-token");
        String marker = token != null ? decodeToken(token) : emptyToNull(request.param("start-after"));
        Page page = page(client, request, marker);
        boolean url = urlEncoding(request);
        XmlWriter xml = XmlWriter.document("ListBucketResult", true)
                .element("Name", request.bucket())
                .element("Prefix", encode(page.prefix, url))
                .element("KeyCount", page.count)
                .element("MaxKeys", page.maxKeys);
        delimiterEncodingAndTruncation(xml, page, url);
        if (token != null) {
            xml.element("ContinuationToken", token);
        }
        if (page.truncated) {
            xml.element("NextContinuationToken", encodeToken(page.last));
        }
        if (request.param("start-after") != null) {
            xml.element("StartAfter", encode(request.param("start-after"), url));
        }
        boolean owner = "true".equals(request.param("fetch-owner"));
        writeItems(xml, page, url, owner ? who : null);
        S3Responses.xml(ctx, 200, xml.finish());
    }

    void listV1(Context ctx, GranaryClient client, S3Request request, S3Caller caller) {
        Principal who = caller.require(Role.READER);
        BucketOperations.existing(client, request.bucket());
        String marker = emptyToNull(request.param("marker"));
        Page page = page(client, request, marker);
        boolean url = urlEncoding(request);
        XmlWriter xml = XmlWriter.document("ListBucketResult", true)
                .element("Name", request.bucket())
                .element("Prefix", encode(page.prefix, url))
                .element("Marker", encode(marker == null ? "" : marker, url))
                .element("MaxKeys", page.maxKeys);
        delimiterEncodingAndTruncation(xml, page, url);
        if (page.truncated) {
            xml.element("NextMarker", encode(page.last, url));
        }
        writeItems(xml, page, url, who);
        S3Responses.xml(ctx, 200, xml.finish());
    }

    /** The elements both versions write alike after their own opening ones. */
    private static void delimiterEncodingAndTruncation(XmlWriter xml, Page page, boolean url) {
        if (!page.delimiter.isEmpty()) {
            xml.element("Delimiter", encode(page.delimiter, url));
        }
        if (url) {
            xml.element("EncodingType", "url");
        }
        xml.element("IsTruncated", page.truncated);
    }

    /** One page of a listing, as both versions answer it. */
    private static final class Page {
        String prefix;
        String delimiter;
        int maxKeys;
        int count;
        boolean truncated;
        String last;
        final java.util.List<KeyWalk.Item> items = new java.util.ArrayList<>();
    }

    private static Page page(GranaryClient client, S3Request request, String marker) {
        Page page = new Page();
        page.prefix = request.param("prefix") == null ? "" : request.param("prefix");
        page.delimiter = request.param("delimiter") == null ? "" : request.param("delimiter");
        page.maxKeys = request.pageSize("max-keys", MAX_KEYS);
        KeyWalk walk = new KeyWalk(namespace(client), request.bucket());
        // one item past the page tells whether it is truncated
        Iterator<KeyWalk.Item> items = walk.items(page.prefix, marker, page.delimiter.equals("/"), page.maxKeys + 1);
        String lastPrefix = null;
        while (items.hasNext()) {
            KeyWalk.Item item = items.next();
            if (!page.delimiter.isEmpty() && !page.delimiter.equals("/") && !item.commonPrefix()) {
                int at = item.key().indexOf(page.delimiter, page.prefix.length());
                if (at >= 0) {
                    String common = item.key().substring(0, at + page.delimiter.length());
                    if (common.equals(lastPrefix) || (marker != null && marker.startsWith(common))) {
                        continue;
                    }
                    item = new KeyWalk.Item(common, true, 0, item.modified(), "");
                    lastPrefix = common;
                }
            }
            if (page.count == page.maxKeys) {
                page.truncated = true;
                break;
            }
            page.items.add(item);
            page.count++;
            page.last = item.key();
        }
        return page;
    }

    private static void writeItems(XmlWriter xml, Page page, boolean url, Principal owner) {
        for (KeyWalk.Item item : page.items) {
            if (item.commonPrefix()) {
                continue;
            }
            xml.start("Contents")
                    .element("Key", encode(item.key(), url))
                    .element("LastModified", S3Times.iso(item.modified()))
                    .element("ETag", item.etag())
                    .element("Size", item.size());
            if (owner != null) {
                xml.start("Owner").element("ID", owner.id()).element("DisplayName", owner.name()).end();
            }
            xml.element("StorageClass", "STANDARD").end();
        }
        for (KeyWalk.Item item : page.items) {
            if (item.commonPrefix()) {
                xml.start("CommonPrefixes").element("Prefix", encode(item.key(), url)).end();
            }
        }
    }

    private static KeyWalk.Namespace namespace(GranaryClient client) {
        return new KeyWalk.Namespace() {
            @Override
            public DirectoryPage list(GranaryPath dir, String after, int limit) {
                return client.list(dir.toString(), after, limit);
            }

            @Override
            public Optional<FileMeta> stat(GranaryPath path) {
                try {
                    return Optional.of(client.stat(path.toString()));
                } catch (GranaryException e) {
                    if (e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.FAILED_PRECONDITION) {
                        return Optional.empty();
                    }
                    throw e;
                }
            }
        };
    }

    private static boolean urlEncoding(S3Request request) {
        String type = request.param("encoding-type");
        if (type == null) {
            return false;
        }
        if (!type.equals("url")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request");
        }
        return true;
    }

    /** A key as S3 writes it under {@code encoding-type=url}: form-encoded, with a space as {@code +}. */
    private static String encode(String text, boolean url) {
        return url ? URLEncoder.encode(text, StandardCharsets.UTF_8) : text;
    }

    static String encodeToken(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect");
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
