/**
 * The master's Redis code, and nothing else: the implementations of the store interfaces
 * ({@link io.granary.master.store.RedisMetadataStore}, {@code RedisTokenStore}, {@code RedisS3KeyStore},
 * {@code RedisGrantStore}),
 * the Lua scripts they run, the connection they share, and the embedded Redis server.
 *
 * <p>The rule for where a store interface lives: with the package that uses it, beside the records it
 * speaks of. {@link io.granary.master.model.MetadataStore} lives in {@code model}, since the
 * namespace, the cluster view and the gRPC health check all use it; {@link io.granary.master.auth.TokenStore}
 * lives in {@code auth} and {@link io.granary.master.access.GrantStore} in {@code access}. This package
 * depends on those packages, never the reverse: only the root package, which wires the master, depends
 * on it. The master's {@code ArchitectureTest} checks this.
 */
package io.granary.master.store;
