package io.granary.bench;

import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.client.UploadOptions;
import java.io.OutputStream;

/** Granary through the Java client library ({@link GranaryClient}) over gRPC, as an embedding program uses it. */
final class ClientTarget implements Target {
    static final String LABEL = "client";
    private final GranaryClient client;

    /** @param clusterSecret the cluster's secret, or null for a cluster that asks for none */
    ClientTarget(String masterAddress, String clusterSecret) {
        ClientOptions options = ClientOptions.defaults().withName(BenchRunner.NODE_ID);
        this.client = GranaryClient.connect(masterAddress,
                clusterSecret == null ? options : options.withClusterSecret(clusterSecret));
    }

    @Override
    public String label() {
        return LABEL;
    }

    @Override
    public void ping() {
        client.cluster();
    }

    @Override
    public void upload(String path, long size) {
        client.upload(path, new PatternInputStream(size), UploadOptions.defaults());
    }

    @Override
    public long download(String path) {
        return client.download(path, 0, -1, OutputStream.nullOutputStream());
    }

    @Override
    public void stat(String path) {
        client.stat(path);
    }

    @Override
    public void list(String path) {
        client.list(path, null, LIST_PAGE);
    }

    @Override
    public void delete(String path) {
        client.delete(path);
    }

    @Override
    public void close() {
        client.close();
    }
}
