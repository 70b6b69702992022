package io.granary.gateway;

import io.javalin.Javalin;
import java.time.Duration;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Limits that live in Jetty rather than in a handler. */
final class RequestLimits {
    private static final Logger log = LoggerFactory.getLogger(RequestLimits.class);

    private RequestLimits() {
    }

    /**
     * Closes a connection after {@code idle} without a byte in either direction. Jetty restarts the
     * clock on every read or write, so a stalled client is cut while an upload or download that keeps
     * moving, however slowly and however long, never is. Applied once the connectors exist; it holds
     * for every connection accepted from then on.
     */
    static void applyIdleTimeout(Javalin app, Duration idle) {
        Server server = app.jettyServer().server();
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof org.eclipse.jetty.server.AbstractConnector c) {
                c.setIdleTimeout(idle.toMillis());
            }
        }
        log.info("{}: connections idle for {} ms are closed", GatewayConfig.NODE_ID, idle.toMillis());
    }
}
