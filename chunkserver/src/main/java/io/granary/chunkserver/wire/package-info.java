/**
 * Where the chunkserver meets the wire, below both of its gRPC sides: conversions between proto
 * messages and domain values ({@link io.granary.chunkserver.wire.ChunkServerProtos}); the channels to
 * other nodes are a {@link io.granary.common.grpc.ChannelPool}. The server adapter
 * ({@code grpc}), the outgoing chained writes and copies ({@code replication}) and the node's wiring
 * depend on this package; it depends on the {@code store} only, never on them.
 */
package io.granary.chunkserver.wire;
