package io.granary.client.fake;

import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link FakeCluster} and a client of it with the default options for each test, registered with
 * {@code @RegisterExtension}: started before the test's {@code @BeforeEach} methods, closed after its
 * {@code @AfterEach} ones.
 */
public final class FakeClusterExtension implements BeforeEachCallback, AfterEachCallback {
    private final int chunkservers;
    private FakeCluster cluster;
    private GranaryClient client;

    public FakeClusterExtension(int chunkservers) {
        this.chunkservers = chunkservers;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        cluster = FakeCluster.start(chunkservers);
        client = cluster.client(ClientOptions.defaults());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            client.close();
        } finally {
            cluster.close();
        }
    }

    public FakeCluster cluster() {
        return cluster;
    }

    public GranaryClient client() {
        return client;
    }
}
