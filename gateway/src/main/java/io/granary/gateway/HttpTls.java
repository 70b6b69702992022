package io.granary.gateway;

import io.javalin.config.JavalinConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for the gateway from PEM files ({@code --http-tls-cert}, {@code --http-tls-key}): the
 * gateway then listens with TLS only, on its one port. Immutable.
 *
 * @param cert the certificate chain (PEM), the server's own certificate first
 * @param key  its private key (PEM, PKCS#8)
 */
public record HttpTls(Path cert, Path key) {

    public HttpTls {
        if (cert == null || key == null) {
            throw new IllegalArgumentException("--http-tls-cert and --http-tls-key go together: give both or neither");
        }
        for (Path file : new Path[] {cert, key}) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(file + " is not a readable file");
            }
        }
        PemKeyStore.load(cert, key); // fails now, with the file's name, rather than at the first request
    }

    /** HTTPS from both flags, or null (plain HTTP) when neither is set. */
    public static HttpTls fromFlags(Path cert, Path key) {
        return cert == null && key == null ? null : new HttpTls(cert, key);
    }

    /** Makes Javalin listen with TLS on {@code port} instead of its plain HTTP connector. */
    void install(JavalinConfig cfg, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(PemKeyStore.load(cert, key));
        ssl.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
        cfg.jetty.addConnector((server, httpConfig) -> {
            HttpConfiguration https = new HttpConfiguration(httpConfig);
            // clients reach gateways by IP as often as by name: no check of SNI against the Host header
            https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
            ServerConnector connector = new ServerConnector(server,
                    new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
            connector.setPort(port);
            return connector;
        });
    }
}
