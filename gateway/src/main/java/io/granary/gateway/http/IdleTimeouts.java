package io.granary.gateway.http;

import io.javalin.Javalin;
import java.time.Duration;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sets how long a started server's connections may move no byte before they are closed. */
public final class IdleTimeouts {
    private static final Logger log = LoggerFactory.getLogger(IdleTimeouts.class);

    private IdleTimeouts() {
    }

    /** Applies {@code idle} to every connector of {@code app}, which has started. */
    public static void apply(Javalin app, Duration idle) {
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractConnector c) {
                c.setIdleTimeout(idle.toMillis());
            }
        }
        log.info("{}: connections idle for {} ms are closed", GatewayNode.ID, idle.toMillis());
    }
}
