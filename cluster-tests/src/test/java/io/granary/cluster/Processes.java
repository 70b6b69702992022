package io.granary.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * What a test of separate processes starts (Redis, {@link RoleProcess}es), closed in the reverse order
 * of their start when the test ends, so a gateway stops before its master and a master before its Redis.
 */
final class Processes implements AutoCloseable {
    private final List<AutoCloseable> started = new ArrayList<>();

    /** Keeps {@code resource} to be closed with the others; returns it. */
    <T extends AutoCloseable> T keep(T resource) {
        started.add(resource);
        return resource;
    }

    /** Stops keeping {@code resource}: the test closed it itself. */
    void forget(AutoCloseable resource) {
        started.remove(resource);
    }

    /** A port free now, for a process to be told to listen on. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        started.clear();
    }
}
