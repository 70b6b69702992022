package io.granary.gateway.http;

import io.granary.common.ByteSize;
import io.javalin.Javalin;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;

/**
 * Sizes the buffer each HTTP connection reads its socket into. Jetty's default of 8 KiB costs a read
 * call and a pass through its input state machine for every 8 KiB of an upload body; at
 * {@link #BYTES} a body streams in eight times fewer of both. The buffer is taken from Jetty's pool
 * only while a connection has bytes to parse and given back when it is empty, so idle connections
 * hold none.
 */
public final class InputBuffers {
    /** Bytes read from a connection's socket at once, at most. */
    public static final int BYTES = (int) (64 * ByteSize.KIB);

    private InputBuffers() {
    }

    /** Applies {@link #BYTES} to every HTTP connection factory of {@code app}, for the connections accepted from then on. */
    public static void apply(Javalin app) {
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            for (ConnectionFactory factory : connector.getConnectionFactories()) {
                if (factory instanceof HttpConnectionFactory http) {
                    http.setInputBufferSize(BYTES);
                }
            }
        }
    }
}
