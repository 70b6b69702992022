package io.granary.gateway.routes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.granary.client.ChunkServerView;
import io.granary.client.ClusterView;
import io.granary.client.DecommissionView;
import io.granary.client.FsckView;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.meta.ChunkMeta;
import io.granary.common.meta.DirectoryEntry;
import io.granary.common.meta.DirectoryPage;
import io.granary.common.meta.FileMeta;
import io.granary.common.meta.Replica;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.openapi.OpenApiDescription;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The JSON shapes of the HTTP API, and the one place that builds them from client records. */
public final class GatewayJson {
    private static final ObjectMapper READER = mapper();
    /** The most bytes a JSON request body may have: every request shape is a few hundred bytes. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private GatewayJson() {
    }

    /**
     * The request's JSON body as one of the records below. At most {@link #MAX_BODY_BYTES} are read,
     * counted as they arrive (a chunked body announces no length): a larger body is refused without
     * reading the rest. Unknown fields are refused, so a typo is not silently ignored.
     *
     * @throws GranaryException INVALID_ARGUMENT, showing {@code example}, when it is not such JSON
     * @throws ContentTooLargeResponse (413) when the body is larger than the limit
     */
    static <T> T read(Context ctx, Class<T> type, String example) {
        return read(body(ctx), type, example);
    }

    /**
     * Like {@link #read(Context, Class, String)} for a route whose body may be left out: empty when the
     * request has no body (or only white space).
     */
    static <T> Optional<T> readOptional(Context ctx, Class<T> type, String example) {
        String body = body(ctx);
        return body.isBlank() ? Optional.empty() : Optional.of(read(body, type, example));
    }

    private static <T> T read(String body, Class<T> type, String example) {
        try {
            T value = READER.readValue(body, type);
            if (value != null) {
                return value;
            }
        } catch (JsonProcessingException e) {
            throw GranaryException.invalid("the body must be JSON like " + example + ": " + e.getOriginalMessage());
        }
        throw GranaryException.invalid("a JSON body is required, like " + example);
    }

    private static String body(Context ctx) {
        if (ctx.req().getContentLengthLong() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw GranaryException.invalid("the request body could not be read: " + e.getMessage());
        }
    }

    private static ContentTooLargeResponse tooLarge() {
        return new ContentTooLargeResponse("a JSON request body has at most " + MAX_BODY_BYTES + " bytes");
    }

    /** Jackson set up for these shapes: times as ISO-8601 UTC strings. */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /**
     * A file or directory; {@code chunks} and {@code underReplicated} are left out for a directory,
     * {@code files} (how many files are below it, at any depth) for a file. A directory's {@code size}
     * is that of all those files.
     */
    record FileJson(String path, String type, long size, int replication, long chunkSize, String sha256,
                    String contentType, Instant created, Instant modified, String owner,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String visibility,
                    @JsonInclude(JsonInclude.Include.NON_NULL) List<ChunkJson> chunks,
                    @JsonInclude(JsonInclude.Include.NON_NULL)
                    @OpenApiDescription(UNDER_REPLICATED_DOC) Integer underReplicated,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Long files) {
    }

    static final String UNDER_REPLICATED_DOC = "Files only: how many chunks have fewer live replicas than "
            + "`replication` (0 when every chunk has them all). An upload whose chain lost a chunkserver "
            + "answers 201 with this above 0; the master re-replicates such chunks by itself, so a later stat "
            + "shows it going back to 0.";

    /** One page of a directory; {@code next} (the {@code after} of the next page) only when more remain. */
    record DirectoryJson(String path, List<EntryJson> entries,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
    }

    /** A listed entry; a file's {@code sha256} comes with it so that a client can compare trees without a stat per file. */
    record EntryJson(String name, String type, long size, Instant modified,
                     @JsonInclude(JsonInclude.Include.NON_EMPTY)
                     @OpenApiDescription("A file's lower-case hex SHA-256; absent for a directory") String sha256) {
    }

    /** The body of {@code POST /api/v1/rename}. */
    record RenameJson(String from, String to, Boolean overwrite) {
    }

    /** The body of {@code PATCH /api/v1/stat/{path}}: either field, or both. */
    record StatPatchJson(Integer replication, String visibility) {
    }

    record ChunkJson(int index, String handle, long size, List<String> replicas) {
    }

    record ClusterJson(MasterJson master, List<ChunkServerJson> chunkservers, long underReplicatedChunks,
                       long missingChunks, long corruptChunks, long repairQueueLength, long repairsInFlight,
                       long gcPendingBytes, long trashChunks, int defaultReplication, long defaultChunkSize,
                       BalancerJson balancer) {
    }

    @OpenApiDescription("The balancer: it moves replicas from the fullest chunkservers to the emptiest until each "
            + "one's usage (used over capacity) lies within the threshold of the average")
    record BalancerJson(@OpenApiDescription("off (not enabled on the master), waiting (safe mode or repairs come "
                                + "first), balancing or balanced") String state,
                        @OpenApiDescription("Percentage points a chunkserver's usage may lie from the average")
                        double thresholdPercent,
                        @OpenApiDescription("Bytes per second the moves copy at most, in the whole cluster")
                        long bandwidthBytesPerSecond,
                        @OpenApiDescription("Usage of the live chunkservers in service together, in percent")
                        double averageUsagePercent,
                        @OpenApiDescription("Chunkservers outside the threshold at the last round")
                        List<String> outsideThreshold,
                        long movesInFlight,
                        @OpenApiDescription("Moves done since the master became active") long chunksMoved,
                        long bytesMoved,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY)
                        @OpenApiDescription("Why it waits or cannot move anything now") String detail) {
    }

    record MasterJson(String id, boolean metadataStoreReachable,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) String metadataStoreError, boolean safeMode,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) String safeModeDetail) {
    }

    record ChunkServerJson(String id, String address, boolean alive, long capacityBytes, long usedBytes,
                           long chunks, Instant lastHeartbeat,
                           @OpenApiDescription("normal, draining (its chunks are being copied to other chunkservers; "
                                   + "it takes no new chunk) or decommissioned (it may be stopped)") String state,
                           @JsonInclude(JsonInclude.Include.NON_NULL)
                           @OpenApiDescription("While draining: its chunks that other chunkservers in service do not "
                                   + "yet hold at their replication") Long chunksToMove,
                           @JsonInclude(JsonInclude.Include.NON_NULL)
                           @OpenApiDescription("While draining: of those, chunks no other chunkserver in service can "
                                   + "take now (too few of them, or no free space)") Long chunksUnmovable,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY)
                           @OpenApiDescription("While draining: why it cannot finish now") String decommissionDetail,
                           @JsonInclude(JsonInclude.Include.NON_NULL)
                           @OpenApiDescription("When draining was asked for") Instant decommissionSince) {
    }

    /** A chunkserver's decommission state, the answer of the decommission routes. */
    record DecommissionJson(String chunkserver,
                            @OpenApiDescription("normal, draining or decommissioned") String state,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long chunksToMove,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long chunksUnmovable,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) String detail,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Instant since) {
    }

    record FsckJson(boolean healthy, long chunksChecked, List<FsckChunkJson> problems) {
    }

    record FsckChunkJson(String handle, String path, int index, String state, int wantedReplicas, int goodReplicas,
                         List<String> corruptReplicas) {
    }

    record Liveness(String status) {
    }

    record Readiness(String status, int liveChunkservers, int defaultReplication) {
    }

    static FileJson file(FileMeta f) {
        List<ChunkJson> chunks = f.isFile() ? f.chunks().stream().map(GatewayJson::chunk).toList() : null;
        return new FileJson(f.path(), f.type().name().toLowerCase(Locale.ROOT), f.size(), f.replication(),
                f.chunkSize(), f.sha256(), f.contentType(), f.created(), f.modified(), f.owner(),
                f.isFile() ? f.visibility().wireName() : null, chunks,
                f.isFile() ? underReplicated(f) : null, f.isFile() ? null : f.files());
    }

    /** The chunks of a file with fewer live replicas than its replication. */
    private static int underReplicated(FileMeta f) {
        return (int) f.chunks().stream().filter(c -> c.replicas().size() < f.replication()).count();
    }

    static DirectoryJson page(GranaryPath path, DirectoryPage page) {
        return new DirectoryJson(path.toString(), page.entries().stream().map(GatewayJson::entry).toList(),
                page.hasNext() ? page.next() : null);
    }

    private static EntryJson entry(DirectoryEntry e) {
        return new EntryJson(e.name(), e.type().name().toLowerCase(Locale.ROOT), e.size(), e.modified(), e.sha256());
    }

    static ClusterJson cluster(ClusterView c) {
        ClusterView.Repair r = c.repair();
        return new ClusterJson(new MasterJson(c.masterId(), c.metadataStoreReachable(), c.metadataStoreError(),
                r.safeMode(), r.safeModeDetail()),
                c.chunkservers().stream().map(GatewayJson::chunkserver).toList(),
                c.underReplicatedChunks(), c.missingChunks(), r.corruptChunks(), r.repairQueue(),
                r.repairsInFlight(), r.gcPendingBytes(), r.trashChunks(), c.defaultReplication(),
                c.defaultChunkSize(), balancer(c.balancer()));
    }

    private static BalancerJson balancer(ClusterView.Balancer b) {
        return new BalancerJson(b.state(), b.thresholdPercent(), b.bandwidthBytesPerSecond(),
                Math.round(b.averageUsagePercent() * 10) / 10.0, b.outsideThreshold(), b.movesInFlight(),
                b.chunksMoved(), b.bytesMoved(), b.detail());
    }

    static FsckJson fsck(FsckView f) {
        return new FsckJson(f.healthy(), f.chunksChecked(), f.problems().stream()
                .map(p -> new FsckChunkJson(p.handle().hex(), absolute(p.path()), p.index(), p.state(),
                        p.wantedReplicas(), p.goodReplicas(), p.corruptReplicas()))
                .toList());
    }

    /**
     * A namespace path as every answer gives it, with a leading slash ({@code /videos/a.mp4}); the empty
     * text (no such file any more) stays empty.
     */
    static String absolute(String path) {
        return path.isEmpty() ? "" : GranaryPath.of(path).toString();
    }

    private static ChunkJson chunk(ChunkMeta c) {
        return new ChunkJson(c.index(), c.handle().hex(), c.size(),
                c.replicas().stream().map(Replica::chunkserverId).toList());
    }

    private static ChunkServerJson chunkserver(ChunkServerView s) {
        DecommissionView d = s.decommission();
        return new ChunkServerJson(s.id(), s.address(), s.alive(), s.capacityBytes(), s.usedBytes(), s.chunks(),
                s.lastHeartbeat(), d.state(), d.draining() ? d.chunksToMove() : null,
                d.draining() ? d.chunksUnmovable() : null, d.detail(), d.since());
    }

    static DecommissionJson decommission(String chunkserver, DecommissionView d) {
        return new DecommissionJson(chunkserver, d.state(), d.draining() ? d.chunksToMove() : null,
                d.draining() ? d.chunksUnmovable() : null, d.detail(), d.since());
    }
}
