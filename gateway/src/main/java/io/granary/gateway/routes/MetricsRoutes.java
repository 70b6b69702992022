package io.granary.gateway.routes;

import io.granary.client.ChunkCache;
import io.granary.client.GranaryClient;
import io.granary.common.metrics.Registries;
import io.granary.gateway.auth.CredentialCache;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.openapi.HttpMethod;
import io.javalin.openapi.OpenApi;
import io.javalin.openapi.OpenApiContent;
import io.javalin.openapi.OpenApiResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;

/**
 * {@code GET /metrics} in the Prometheus text format: JVM metrics, requests per route and status,
 * body bytes in and out, the credential cache's hits and misses, the chunk cache's hits, misses,
 * evictions and bytes, and the master's cluster gauges. One registry per app, so apps in one JVM
 * (tests) do not share counters.
 */
final class MetricsRoutes {
    static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** The route tag of a request that matched no route: one series, whatever the path. */
    static final String UNMATCHED = "unmatched";

    private final PrometheusMeterRegistry registry = Registries.prometheusWithJvm();
    private final Counter bytesIn = Counter.builder("granary.http.request.body").baseUnit("bytes")
            .description("Request body bytes received").register(registry);
    private final Counter bytesOut = Counter.builder("granary.http.response.body").baseUnit("bytes")
            .description("Response bytes written").register(registry);

    MetricsRoutes(GranaryClient client, CredentialCache credentials) {
        ClusterGauges.register(registry, client);
        for (CredentialCache.Kind kind : CredentialCache.Kind.values()) {
            FunctionCounter.builder("granary.gateway.auth.cache.hits", credentials, c -> c.hits(kind))
                    .description("Credentials resolved from the gateway's cache, without asking the master")
                    .tag("credential", kind.wireName()).register(registry);
            FunctionCounter.builder("granary.gateway.auth.cache.misses", credentials, c -> c.misses(kind))
                    .description("Credentials the gateway asked the master for")
                    .tag("credential", kind.wireName()).register(registry);
        }
        registerChunkCache(client.chunkCache());
    }

    /** The client's {@link ChunkCache}, which the client holds for as long as this registry lives. */
    private void registerChunkCache(ChunkCache chunks) {
        FunctionCounter.builder("granary.gateway.chunk.cache.hits", chunks, ChunkCache::hits)
                .description("Chunk reads served from the gateway's memory, without a chunkserver").register(registry);
        FunctionCounter.builder("granary.gateway.chunk.cache.misses", chunks, ChunkCache::misses)
                .description("Reads of chunks small enough to keep that asked a chunkserver").register(registry);
        FunctionCounter.builder("granary.gateway.chunk.cache.evictions", chunks, ChunkCache::evictions)
                .description("Chunks dropped from the gateway's memory to make room for newer ones").register(registry);
        Gauge.builder("granary.gateway.chunk.cache", chunks, ChunkCache::bytes).baseUnit("bytes")
                .description("Bytes of chunk data the gateway keeps in memory").register(registry);
        Gauge.builder("granary.gateway.chunk.cache.capacity", chunks, ChunkCache::capacityBytes).baseUnit("bytes")
                .description("The most bytes of chunk data the gateway keeps in memory; 0: no cache").register(registry);
    }

    /**
     * Records every request once its response is written: Javalin calls the request logger after
     * the result, so the byte counts include bodies streamed by handlers and results written after them.
     */
    void install(JavalinConfig cfg) {
        cfg.requestLogger.http(this::record);
    }

    void register(Javalin app) {
        app.get(PATH, this::scrape);
    }

    private void record(Context ctx, Float elapsedMs) {
        Timer.builder("granary.http.requests").description("HTTP requests by method, route template and status")
                .tag("method", ctx.method().name())
                .tag("route", route(ctx))
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .record((long) (elapsedMs * 1_000_000), TimeUnit.NANOSECONDS);
        Request jetty = Request.getBaseRequest(ctx.req());
        if (jetty != null) {
            // Jetty's own counts of what went through the socket, so no body is wrapped or buffered
            bytesIn.increment(jetty.getHttpInput().getContentReceived());
            bytesOut.increment(jetty.getResponse().getHttpChannel().getBytesWritten());
        }
    }

    /** The matched route template, never the raw path, so the number of series stays bounded. */
    private static String route(Context ctx) {
        try {
            String template = ctx.endpointHandlerPath();
            return template == null || template.isEmpty() || template.equals("*") ? UNMATCHED : template;
        } catch (RuntimeException e) {
            return UNMATCHED;
        }
    }

    @OpenApi(path = PATH, methods = HttpMethod.GET, tags = "health", operationId = "metrics",
            summary = "Prometheus metrics: JVM, HTTP requests per route and status, body bytes, and cluster gauges "
                    + "read from the master (cached for a few seconds)",
            responses = @OpenApiResponse(status = "200", description = "Prometheus text format 0.0.4",
                    content = @OpenApiContent(type = "string", mimeType = "text/plain")))
    private void scrape(Context ctx) {
        ctx.contentType(CONTENT_TYPE).result(registry.scrape());
    }
}
