package io.granary.common;

/**
 * Where the master listens unless told otherwise, and so where chunkservers, gateways and the local
 * cluster look for it: the one definition of that default for every role.
 */
public final class MasterEndpoint {
    /** The master's gRPC port. */
    public static final int DEFAULT_PORT = 7070;
    /** The address the other roles dial when given none ({@code --master}). */
    public static final String DEFAULT_ADDRESS = "127.0.0.1:" + DEFAULT_PORT;

    private MasterEndpoint() {
    }
}
