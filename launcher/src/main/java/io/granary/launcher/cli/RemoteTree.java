package io.granary.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory tree in Granary, through the gateway: listings page by page, each file's SHA-256 from
 * its listing (or its stat, from a gateway whose listing lacks it), bodies streamed both ways.
 */
final class RemoteTree implements Tree {
    private final GatewayHttp http;
    private final RemoteListing listing;
    private final String root;

    /** The tree at {@code root}, a Granary path in any of the forms {@link RemoteListing#normalize} reads. */
    RemoteTree(GatewayHttp http, String root) {
        this.http = http;
        this.listing = new RemoteListing(http, LsCommand.DEFAULT_PAGE);
        this.root = RemoteListing.normalize(root);
    }

    String path(String rel) {
        return rel.isEmpty() ? root : Tree.child(root, rel);
    }

    @Override
    public String describe(String rel) {
        return "/" + path(rel);
    }

    @Override
    public Entry stat(String rel) {
        try {
            JsonNode stat = http.sendForJson(http.request(http.uri("stat", path(rel))).GET().build());
            String name = rel.substring(rel.lastIndexOf('/') + 1);
            return entry(name, stat);
        } catch (CliException e) {
            if (e.exitCode() == ExitCodes.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** The directory's total size and file count from its stat (the master keeps them current). */
    long[] totals(String rel) {
        JsonNode stat = http.sendForJson(http.request(http.uri("stat", path(rel))).GET().build());
        return new long[] {stat.path("size").asLong(), stat.path("files").asLong()};
    }

    @Override
    public List<Entry> list(String rel) throws IOException {
        List<Entry> entries = new ArrayList<>();
        listing.forEach(path(rel), json -> entries.add(entry(json.path("name").asText(), json)));
        return entries;
    }

    @Override
    public String sha256(String rel, Entry entry) {
        if (entry.sha256() != null) {
            return entry.sha256();
        }
        Entry stat = stat(rel);
        return stat == null ? "" : stat.sha256();
    }

    @Override
    public InputStream open(String rel) {
        HttpResponse<InputStream> response = http.send(http.request(http.uri("files", path(rel))).GET().build());
        return new ContentCheck(response.body(), response.headers());
    }

    @Override
    public void write(String rel, long size, InputStream in) throws IOException {
        // A size lets the gateway check that the body arrived whole.
        HttpRequest.BodyPublisher body = size == 0 ? BodyPublishers.noBody()
                : BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> in), size);
        http.sendDiscarding(http.request(http.uri("files", path(rel))).PUT(body).build());
    }

    @Override
    public void mkdirs(String rel) throws IOException {
        http.sendDiscarding(http.request(http.uri("dirs", path(rel))).PUT(BodyPublishers.noBody()).build());
    }

    @Override
    public void delete(String rel, boolean directory) throws IOException {
        URI uri = directory ? URI.create(http.uri("dirs", path(rel)) + "?recursive=true") : http.uri("files", path(rel));
        http.sendDiscarding(http.request(uri).DELETE().build());
    }

    private static Entry entry(String name, JsonNode json) {
        boolean directory = RemoteListing.isDirectory(json);
        String sha256 = directory || !json.hasNonNull("sha256") ? null : json.get("sha256").asText();
        String modified = json.path("modified").asText("");
        return new Entry(name, directory, json.path("size").asLong(),
                modified.isEmpty() ? Instant.EPOCH : Instant.parse(modified), sha256);
    }
}
