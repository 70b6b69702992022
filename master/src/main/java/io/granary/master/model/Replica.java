package io.granary.master.model;

/** Where one replica of a chunk lives: the chunkserver's id and its gRPC {@code host:port}. */
public record Replica(String chunkServerId, String address) {
}
