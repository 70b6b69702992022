package io.granary.gateway.http;

/** The gateway's node id: the prefix of each of its log lines, and the name its client gives the master. */
public final class GatewayNode {
    public static final String ID = "gateway";

    private GatewayNode() {
    }
}
