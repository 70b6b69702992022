/**
 * Where the chunkserver meets the wire, below both of its gRPC sides: conversions between proto
 * messages and domain values ({@link io.granary.chunkserver.wire.ChunkServerProtos}) and the channels
 * to other nodes ({@link io.granary.chunkserver.wire.ChannelFactory}). The server adapter
 * ({@code grpc}), the outgoing chained writes and copies ({@code replication}) and the node's wiring
 * depend on this package; it depends on the {@code store} only, never on them.
 */
package io.granary.chunkserver.wire;
