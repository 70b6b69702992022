package io.granary.gateway.routes;

import io.granary.client.GranaryClient;
import io.granary.gateway.auth.CredentialCache;
import io.granary.gateway.auth.UrlSigner;
import io.granary.gateway.http.DownloadSlots;
import io.granary.gateway.http.UploadSlots;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;

/**
 * Every endpoint of the gateway: the HTTP API, health, metrics, the OpenAPI document with Swagger UI,
 * and the dashboard. Registered in two steps, as Javalin asks: {@link #configure} while the app is
 * created (plugins, static files, the request logger), then {@link #register} on the created app.
 */
public final class GatewayRoutes {
    private final GranaryClient client;
    private final CredentialCache credentials;
    private final UrlSigner signer;
    private final FormUploads forms;
    private final UploadSlots uploadSlots;
    private final DownloadSlots downloadSlots;
    private final MetricsRoutes metrics;

    /**
     * @param credentials       the gateway's cache of the master's answers about tokens and S3 keys,
     *                          forgotten on every revocation through these routes
     * @param signer            signs presigned URLs (may have no key: presigning is then off)
     * @param maxFormFields     fields a form upload may have before its file field
     * @param maxFormFieldBytes bytes each of those fields may have
     * @param maxThreads        the HTTP server's request threads, of which downloads take a share
     * @param uploads           the gateway's uploads streamed at once, shared with its S3 port
     */
    public GatewayRoutes(GranaryClient client, CredentialCache credentials, UrlSigner signer, int maxFormFields,
                         long maxFormFieldBytes, int maxThreads, UploadSlots uploads) {
        this.client = client;
        this.credentials = credentials;
        this.signer = signer;
        this.forms = new FormUploads(maxFormFields, maxFormFieldBytes);
        this.uploadSlots = uploads;
        this.downloadSlots = DownloadSlots.forThreads(maxThreads, uploads.max());
        this.metrics = new MetricsRoutes(client, credentials);
    }

    /** The parts set while the app is created: the API docs, the dashboard's files, request metrics. */
    public void configure(JavalinConfig cfg) {
        ApiDocs.register(cfg);
        Dashboard.configure(cfg);
        metrics.install(cfg);
    }

    /** Registers every route on {@code app}. */
    public void register(Javalin app) {
        new FileRoutes(client, forms, uploadSlots, downloadSlots).register(app);
        new StatRoutes(client).register(app);
        new ReplicationRoutes(client).register(app);
        new DirRoutes(client).register(app);
        new RenameRoutes(client).register(app);
        new ClusterRoutes(client).register(app);
        new AdminRoutes(client).register(app);
        new AuditRoutes(client).register(app);
        new TokenRoutes(client, credentials).register(app);
        new S3KeyRoutes(client, credentials).register(app);
        new PresignRoutes(client, signer).register(app);
        new GrantRoutes(client).register(app);
        new HealthRoutes(client, downloadSlots).register(app);
        metrics.register(app);
        Dashboard.register(app);
        DocsPage.register(app);
    }
}
