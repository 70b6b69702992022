package io.granary.client;

import io.granary.common.ByteSize;
import io.granary.common.grpc.ClusterSecret;
import io.granary.common.grpc.ClusterSecurity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Tuning of a {@link GranaryClient}. Immutable; defaults are the named constants.
 *
 * @param name               prefix of the client's log lines (the gateway passes its node id)
 * @param pieceSizeBytes     bytes read from an upload body and sent per WriteChunk message
 * @param readAheadBytes     bytes each running chunk read may buffer ahead of the reader; an open
 *                           stream runs at most two chunk reads (the current one and the next)
 * @param metadataDeadline   deadline of each call to the master
 * @param chunkDeadline      deadline of each WriteChunk call (one whole chunk)
 * @param chunkIdleTimeout   how long a chunk transfer may make no progress before it is given up
 *                           (a write fails; a read moves to the next replica)
 * @param hedgeAfter         how long a chunk read may wait for its first byte, or for the next message
 *                           it asked for, before the same range is also asked of the next replica; the
 *                           first of the two to answer is kept and the other cancelled, and the slow
 *                           replica is tried last for the rest of the transfer
 * @param readAheadTotalBytes bytes all chunk reads of this client together may buffer ahead of their
 *                           readers; beyond it a read asks for a message only when its buffer is empty,
 *                           so each stream still moves, one message at a time
 * @param security           the cluster secret sent on every call to the master and the chunkservers,
 *                           and TLS when the cluster uses it; by default none (a cluster with a secret
 *                           answers every call UNAUTHENTICATED)
 * @param spoolDir           where the bytes of each chunk being uploaded are kept on disk (at most two
 *                           chunks per upload: the one streaming and the one its chain is committing;
 *                           owner-only files, deleted at once) so that a failed chain
 *                           is replaced by a new one; null keeps none, and a chain failing after the
 *                           chunk's first piece then fails the upload
 * @param busyPatience       how long the write of one chunk that busy chunkservers refuse (a full write
 *                           budget, no memory) keeps being sent again, on a new chain from the master,
 *                           with pauses growing from {@link #FIRST_BUSY_PAUSE} to the node's retry hint;
 *                           past it the upload fails as overloaded. Zero: refused at once. Only a chunk
 *                           whose bytes can be sent again waits (see {@code spoolDir})
 * @param chunkCacheBytes    bytes of whole small chunks (up to {@link ChunkCache#MAX_ENTRY_BYTES} each)
 *                           kept on the heap after a read, so reading them again asks no chunkserver;
 *                           0 turns the {@link ChunkCache} off
 * @param chunkStreamWindowBytes HTTP/2 flow-control window of each stream from a chunkserver: what a
 *                           chunkserver may send that the client has not taken yet. A chunk read keeps
 *                           up to two messages asked for, so the default holds two of a chunkserver's
 *                           256 KiB messages with room to spare; what a stalled reader leaves unread
 *                           waits in this window as direct memory, per stream, so a process that reads
 *                           for many slow clients at once (the gateway) keeps it small
 * @param failoverPatience   how long a call to the master keeps being sent again while the masters fail
 *                           over: a call a standby master refused (any call: it did nothing), and, when
 *                           several masters are listed, a read that found its master unavailable. Pauses
 *                           grow from 50 ms to 1 s; each attempt has its own {@code metadataDeadline}.
 *                           Zero: never sent again (see {@link io.granary.common.grpc.MasterRetry})
 * @param token              a Granary token ({@code granary token create}) the client acts as: the master
 *                           checks its role on every call, records its principal as the owner of what it
 *                           writes, and hands it a ticket per chunk for the chunkservers, so no cluster
 *                           secret is needed; {@link #NO_TOKEN} to act with the cluster secret alone.
 *                           Never shown by {@link #toString()}
 */
public record ClientOptions(String name, int pieceSizeBytes, long readAheadBytes, Duration metadataDeadline,
                            Duration chunkDeadline, Duration chunkIdleTimeout, Duration hedgeAfter,
                            long readAheadTotalBytes, ClusterSecurity security, Path spoolDir,
                            Duration busyPatience, long chunkCacheBytes, int chunkStreamWindowBytes,
                            Duration failoverPatience, String token) {
    public static final String DEFAULT_NAME = "client";
    /** No token: the client acts with the cluster secret alone (as the cluster itself). */
    public static final String NO_TOKEN = "";
    /** The form of a Granary token, as the gateway and the master accept it. */
    private static final Pattern TOKEN_SYNTAX = Pattern.compile("[A-Za-z0-9_\\-]{16,256}");
    public static final int DEFAULT_PIECE_SIZE_BYTES = (int) ByteSize.MIB;
    /** gRPC refuses messages over 4 MiB by default; keep room for the framing. */
    public static final int MAX_PIECE_SIZE_BYTES = (int) (4 * ByteSize.MIB - 64 * ByteSize.KIB);
    public static final long DEFAULT_READ_AHEAD_BYTES = 4 * ByteSize.MIB;
    public static final Duration DEFAULT_METADATA_DEADLINE = Duration.ofSeconds(10);
    /** Generous: a slow uploader keeps its chunk call open while its body trickles in. */
    public static final Duration DEFAULT_CHUNK_DEADLINE = Duration.ofHours(1);
    public static final Duration DEFAULT_CHUNK_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * A healthy replica on a LAN sends its first piece in milliseconds, even from a cold disk; two
     * seconds is far beyond that and far below the idle timeout that would otherwise end the wait.
     */
    public static final Duration DEFAULT_HEDGE_AFTER = Duration.ofSeconds(2);
    /** Eight streams' full read-ahead; a bounded JVM (local's 128 MiB heap) keeps room for the rest. */
    public static final long DEFAULT_READ_AHEAD_TOTAL_BYTES = 32 * ByteSize.MIB;
    /** The JVM's temporary directory. */
    public static final Path DEFAULT_SPOOL_DIR = Path.of(System.getProperty("java.io.tmpdir"));
    /**
     * Long enough for a burst of large uploads to take turns on full chunkservers (a 64 MiB chunk
     * takes about a second to write on three), short of the 30 s an HTTP server gives a request body
     * that is not being read while its upload waits.
     */
    public static final Duration DEFAULT_BUSY_PATIENCE = Duration.ofSeconds(20);
    /** The first pause before a refused chunk write is sent again; each next pause doubles, up to the node's hint. */
    public static final Duration FIRST_BUSY_PAUSE = Duration.ofMillis(50);
    /**
     * 32 chunks of the largest size kept, or 2,000 files of 4 KiB: a working set of small hot files, on
     * a heap that {@code local} bounds to 128 MiB beside its read-ahead. As a flag's default text.
     */
    public static final String DEFAULT_CHUNK_CACHE_TEXT = "8MiB";
    public static final long DEFAULT_CHUNK_CACHE_BYTES = ByteSize.parse(DEFAULT_CHUNK_CACHE_TEXT);
    /**
     * Room for the two read messages a chunk read keeps asked for: with the chunkservers' 256 KiB
     * messages, a 1 GiB read by one client on loopback went from about 400 to about 650 MiB/s, against
     * one 128 KiB message at a time in a 128 KiB window.
     */
    public static final int DEFAULT_CHUNK_STREAM_WINDOW_BYTES = (int) ByteSize.MIB;
    /**
     * Longer than a failover takes: a standby takes the lease over within about 15 s of the active
     * master's death, and every master answers UNAVAILABLE until then.
     */
    public static final Duration DEFAULT_FAILOVER_PATIENCE = Duration.ofSeconds(20);

    public ClientOptions {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("client name must not be blank");
        }
        if (pieceSizeBytes < 1 || pieceSizeBytes > MAX_PIECE_SIZE_BYTES) {
            throw new IllegalArgumentException("piece size must be between 1 and " + MAX_PIECE_SIZE_BYTES
                    + " bytes, not " + pieceSizeBytes);
        }
        if (readAheadBytes < 1) {
            throw new IllegalArgumentException("read-ahead must be at least 1 byte, not " + readAheadBytes);
        }
        requirePositive("metadata deadline", metadataDeadline);
        requirePositive("chunk deadline", chunkDeadline);
        requirePositive("chunk idle timeout", chunkIdleTimeout);
        requirePositive("hedge delay", hedgeAfter);
        if (readAheadTotalBytes < 1) {
            throw new IllegalArgumentException("total read-ahead must be at least 1 byte, not " + readAheadTotalBytes);
        }
        if (busyPatience == null || busyPatience.isNegative()) {
            throw new IllegalArgumentException("busy patience must be zero or more, not " + busyPatience);
        }
        if (security == null) {
            throw new IllegalArgumentException("cluster security must not be null; ClusterSecurity.none() for none");
        }
        if (chunkCacheBytes < 0) {
            throw new IllegalArgumentException("the chunk cache must be 0 (off) or more bytes, not " + chunkCacheBytes);
        }
        if (failoverPatience == null || failoverPatience.isNegative()) {
            throw new IllegalArgumentException("failover patience must be zero or more, not " + failoverPatience);
        }
        if (token == null || !token.isEmpty() && !TOKEN_SYNTAX.matcher(token).matches()) {
            throw new IllegalArgumentException("a token is 16 to 256 characters of A-Z, a-z, 0-9, '-' and '_' "
                    + "(as granary token create prints it)");
        }
        if (chunkStreamWindowBytes < 1) {
            throw new IllegalArgumentException("a chunk stream's window must be at least 1 byte, not "
                    + chunkStreamWindowBytes);
        }
    }

    public static ClientOptions defaults() {
        return new ClientOptions(DEFAULT_NAME, DEFAULT_PIECE_SIZE_BYTES, DEFAULT_READ_AHEAD_BYTES,
                DEFAULT_METADATA_DEADLINE, DEFAULT_CHUNK_DEADLINE, DEFAULT_CHUNK_IDLE_TIMEOUT, DEFAULT_HEDGE_AFTER,
                DEFAULT_READ_AHEAD_TOTAL_BYTES, ClusterSecurity.none(), DEFAULT_SPOOL_DIR, DEFAULT_BUSY_PATIENCE,
                DEFAULT_CHUNK_CACHE_BYTES, DEFAULT_CHUNK_STREAM_WINDOW_BYTES, DEFAULT_FAILOVER_PATIENCE, NO_TOKEN);
    }

    public ClientOptions withName(String name) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, busyPatience, chunkCacheBytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    public ClientOptions withPieceSizeBytes(int pieceSizeBytes) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, busyPatience, chunkCacheBytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    public ClientOptions withReadAheadBytes(long readAheadBytes) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, busyPatience, chunkCacheBytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    public ClientOptions withMetadataDeadline(Duration metadataDeadline) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, busyPatience, chunkCacheBytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    public ClientOptions withChunkDeadline(Duration chunkDeadline) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, busyPatience, chunkCacheBytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    public ClientOptions withChunkIdleTimeout(Duration chunkIdleTimeout) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, busyPatience, chunkCacheBytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    public ClientOptions withHedgeAfter(Duration hedgeAfter) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, busyPatience, chunkCacheBytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    public ClientOptions withReadAheadTotalBytes(long readAheadTotalBytes) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, busyPatience, chunkCacheBytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    /** The same with every call carrying the cluster's secret (see {@link ClusterSecret#of} for its rules). */
    public ClientOptions withClusterSecret(String secret) {
        return withSecurity(new ClusterSecurity(ClusterSecret.of(secret), security.tls()));
    }

    /** The same with the cluster's secret and TLS settings. */
    public ClientOptions withSecurity(ClusterSecurity value) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, value, spoolDir, busyPatience, chunkCacheBytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    /** The same with chunks spooled in {@code dir}; null for no spool (and no retry of a started chunk). */
    public ClientOptions withSpoolDir(Path dir) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, dir, busyPatience, chunkCacheBytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    /** The same with chunk writes refused by busy chunkservers sent again for at most {@code patience}; zero for never. */
    public ClientOptions withBusyPatience(Duration patience) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, patience, chunkCacheBytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    /** The same with up to {@code bytes} of small chunks kept in memory after a read; 0 for none. */
    public ClientOptions withChunkCacheBytes(long bytes) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, busyPatience, bytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    /** The same with each stream from a chunkserver allowed {@code bytes} unread in its HTTP/2 window. */
    public ClientOptions withChunkStreamWindowBytes(int bytes) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, busyPatience, chunkCacheBytes,
                bytes, failoverPatience, token);
    }

    /**
     * The same with calls to the master sent again for at most {@code patience} while the masters fail
     * over; zero for never.
     */
    public ClientOptions withFailoverPatience(Duration patience) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, busyPatience, chunkCacheBytes,
                chunkStreamWindowBytes, patience, token);
    }

    /**
     * The same acting as the principal of {@code token} (see the {@code token} component), with or
     * without a cluster secret; {@link #NO_TOKEN} for none.
     */
    public ClientOptions withToken(String token) {
        return new ClientOptions(name, pieceSizeBytes, readAheadBytes, metadataDeadline, chunkDeadline,
                chunkIdleTimeout, hedgeAfter, readAheadTotalBytes, security, spoolDir, busyPatience, chunkCacheBytes,
                chunkStreamWindowBytes, failoverPatience, token);
    }

    /** Every component but the token, which is only said to be there. */
    @Override
    public String toString() {
        return "ClientOptions[name=" + name + ", pieceSizeBytes=" + pieceSizeBytes + ", readAheadBytes="
                + readAheadBytes + ", metadataDeadline=" + metadataDeadline + ", chunkDeadline=" + chunkDeadline
                + ", chunkIdleTimeout=" + chunkIdleTimeout + ", hedgeAfter=" + hedgeAfter + ", readAheadTotalBytes="
                + readAheadTotalBytes + ", security=" + security + ", spoolDir=" + spoolDir + ", busyPatience="
                + busyPatience + ", chunkCacheBytes=" + chunkCacheBytes + ", chunkStreamWindowBytes="
                + chunkStreamWindowBytes + ", failoverPatience=" + failoverPatience + ", token="
                + (token.isEmpty() ? "none" : "***") + "]";
    }

    private static void requirePositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, not " + d);
        }
    }
}
