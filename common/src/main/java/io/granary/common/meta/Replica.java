package io.granary.common.meta;

/**
 * One replica of a chunk: the chunkserver holding it and where to reach it.
 *
 * @param chunkserverId stable identity of the chunkserver
 * @param address       host:port of its gRPC endpoint
 */
public record Replica(String chunkserverId, String address) {
    public Replica {
        if (chunkserverId == null || address == null) {
            throw new IllegalArgumentException("a replica needs a chunkserver id and an address");
        }
    }
}
