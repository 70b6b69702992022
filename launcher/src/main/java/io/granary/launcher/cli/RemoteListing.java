package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Reading directories of Granary page by page ({@code GET /api/v1/dirs/{path}} with {@code limit}
 * and {@code after}), one page in memory at a time, and walking a tree depth first on top of that,
 * so memory grows with the tree's depth, never with its size.
 */
final class RemoteListing {

    /** Called for each entry; may throw. */
    interface EntryVisitor {
        void visit(JsonNode entry) throws IOException;
    }

    /** Called for each entry of a walk with its path from the root ({@code a/b.txt}, no leading slash). */
    interface PathVisitor {
        void visit(String path, JsonNode entry) throws IOException;
    }

    private final GatewayHttp http;
    private final int pageSize;

    RemoteListing(GatewayHttp http, int pageSize) {
        this.http = http;
        this.pageSize = pageSize;
    }

    /** {@code a/b} for {@code /a/b/}, {@code a/b} or {@code a/b/}; {@code ""} for the root. */
    static String normalize(String path) {
        String trimmed = path.strip();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    static boolean isDirectory(JsonNode entry) {
        String type = entry.path("type").asText();
        return type.equals("directory") || type.equals("dir");
    }

    /** Each entry of directory {@code dir} (normalized), in name order. */
    void forEach(String dir, EntryVisitor visitor) throws IOException {
        String after = null;
        do {
            JsonNode page = http.sendForJson(http.request(page(dir, after)).GET().build());
            for (JsonNode entry : page.path("entries")) {
                visitor.visit(entry);
            }
            JsonNode next = page.get("next");
            after = next == null || next.isNull() || next.asText().isEmpty() ? null : next.asText();
        } while (after != null);
    }

    /** Every entry below {@code dir}, each directory visited before what it holds. */
    void walk(String dir, PathVisitor visitor) throws IOException {
        walk(dir, "", visitor);
    }

    private void walk(String dir, String relative, PathVisitor visitor) throws IOException {
        forEach(dir, entry -> {
            String name = entry.path("name").asText();
            String path = Tree.child(relative, name);
            visitor.visit(path, entry);
            if (isDirectory(entry)) {
                walk(Tree.child(dir, name), path, visitor);
            }
        });
    }

    private URI page(String dir, String after) {
        String query = "?limit=" + pageSize
                + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
        return URI.create(http.uri("dirs", dir) + query);
    }
}
