package io.granary.chunkserver;

import io.granary.common.ByteSize;
import io.granary.common.Durations;
import io.granary.common.grpc.MasterChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Everything one chunkserver process is told at start. Immutable; validated on construction. Built with
 * {@link #builder(String, Path)}, changed with {@link #toBuilder()}.
 *
 * @param masterAddress    {@code host:port} of the master's gRPC endpoint, or a comma-separated list of
 *                         several masters, of which the chunkserver follows the active one
 * @param port             gRPC port to listen on; 0 picks a free one (see {@link ChunkServer#port()})
 * @param dataDir          where replicas, checksums and the node's identity live
 * @param id               the node's id, or null to use the one persisted in {@code dataDir} (or create
 *                         one there); must match the persisted one if both exist
 * @param advertiseAddress how others reach this node: {@code host:port}, or just {@code host} meaning
 *                         "this host, on the port actually bound"; null means the address of this machine that
 *                         faces the master (see {@link AdvertiseAddress})
 * @param capacityBytes    bytes the node may store; 0 means the space usable on the data directory's
 *                         file system at start (plus what its chunks already use)
 * @param diskThreads      threads doing blocking disk I/O for all calls together
 * @param readMessageBytes bytes per ReadChunk response message, at most 1 MiB (the .proto's limit)
 * @param scrubInterval    the scrubber re-reads a chunk not checked for this long
 * @param scrubBytesPerSecond the scrubber's read rate cap; 0 turns the scrubber off
 * @param copyBytesPerSecond  the cap on repair copies pulled into this node; 0 means no cap
 * @param maxChunkWrites   chunk writes (from clients and upstream replicas) in progress at once; more are
 *                         refused with RESOURCE_EXHAUSTED and a retry hint
 * @param writeBufferBytes bytes of data pieces those writes may hold at once, counting a piece once from
 *                         when it is asked for until it is on disk and once while it is queued to the
 *                         next replica; a write reserves a 1 MiB piece before its first
 */
public record ChunkServerConfig(String masterAddress, int port, Path dataDir, String id, String advertiseAddress,
                                long capacityBytes, int diskThreads, int readMessageBytes, Duration scrubInterval,
                                long scrubBytesPerSecond, long copyBytesPerSecond, int maxChunkWrites,
                                long writeBufferBytes) {

    /*
     * Defaults. Those that a flag takes as a size or a duration are also kept as the text an operator
     * writes (the flags' defaults, --help and docs/configuration.md show it); the typed constant is parsed from
     * that text, so the two cannot disagree.
     */
    public static final int DEFAULT_PORT = 7080;
    public static final String DEFAULT_DATA_DIR = "./data";
    /** 0: the space usable on the data directory's file system at start. */
    public static final long DEFAULT_CAPACITY_BYTES = 0;
    public static final int DEFAULT_DISK_THREADS = 8;
    /**
     * The largest read message: against 256 KiB, a client library's 1 GiB read on loopback takes
     * about a third less CPU per GiB on both ends (and against 128 KiB, half). A reader stalled by
     * its own slow client holds one message within the node's read budget, whose messages shrink
     * as it fills (see {@code ReadBudget#messageBytes}), so stalled streams cannot take it all.
     */
    public static final int DEFAULT_READ_MESSAGE_BYTES = (int) (512 * ByteSize.KIB);
    public static final int MAX_READ_MESSAGE_BYTES = (int) ByteSize.MIB;
    /** Every chunk re-read about once a day: HDFS scans every three weeks, but our disks are smaller. */
    public static final String DEFAULT_SCRUB_INTERVAL_TEXT = "24h";
    public static final Duration DEFAULT_SCRUB_INTERVAL = Durations.parse(DEFAULT_SCRUB_INTERVAL_TEXT);
    /** 4 MiB/s: a 1 TB disk is scrubbed in about three days, leaving the disk to its clients. */
    public static final String DEFAULT_SCRUB_BYTES_PER_SECOND_TEXT = "4MiB";
    public static final long DEFAULT_SCRUB_BYTES_PER_SECOND = ByteSize.parse(DEFAULT_SCRUB_BYTES_PER_SECOND_TEXT);
    /** 64 MiB/s per node: a lost 64 MiB chunk is back in about a second without saturating a link. */
    public static final String DEFAULT_COPY_BYTES_PER_SECOND_TEXT = "64MiB";
    public static final long DEFAULT_COPY_BYTES_PER_SECOND = ByteSize.parse(DEFAULT_COPY_BYTES_PER_SECOND_TEXT);
    /** 32 writes: as many 1 MiB-piece writes as {@link #DEFAULT_WRITE_BUFFER_BYTES} holds with a replica below. */
    public static final int DEFAULT_MAX_CHUNK_WRITES = 32;
    /**
     * 64 MiB of pieces per node: with gRPC's 1 MiB receive window per call on top, a node's writes hold
     * under 100 MiB, whatever the number of clients.
     */
    public static final String DEFAULT_WRITE_BUFFER_TEXT = "64MiB";
    public static final long DEFAULT_WRITE_BUFFER_BYTES = ByteSize.parse(DEFAULT_WRITE_BUFFER_TEXT);

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[^:\\s\\[\\]]+):(\\d{1,5})");
    private static final Pattern HOST = Pattern.compile("\\[[0-9a-fA-F:.]+]|[^:\\s\\[\\]]+");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public ChunkServerConfig {
        try {
            MasterChannel.parseAddresses(masterAddress);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("master address must be host:port, like 10.0.0.5:7000, or a "
                    + "comma-separated list of them: " + e.getMessage(), e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 (any free port) and 65535, not " + port);
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("a data directory is required");
        }
        if (id != null && !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("chunkserver id '" + id
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (advertiseAddress != null && !isHostPort(advertiseAddress) && !HOST.matcher(advertiseAddress).matches()) {
            throw new IllegalArgumentException("advertise address must be host or host:port, not '"
                    + advertiseAddress + "'");
        }
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacity must be positive, or 0 for the disk's free space, not "
                    + capacityBytes);
        }
        if (diskThreads < 1) {
            throw new IllegalArgumentException("disk threads must be at least 1, not " + diskThreads);
        }
        if (scrubInterval == null || scrubInterval.isNegative() || scrubInterval.isZero()) {
            throw new IllegalArgumentException("scrub interval must be positive, not " + scrubInterval);
        }
        if (scrubBytesPerSecond < 0 || copyBytesPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth caps must be positive or 0 (scrub: off, copy: no cap), not "
                    + scrubBytesPerSecond + " and " + copyBytesPerSecond);
        }
        if (maxChunkWrites < 1 || writeBufferBytes < ByteSize.MIB) {
            throw new IllegalArgumentException("at least 1 chunk write and a 1 MiB write buffer are needed, not "
                    + maxChunkWrites + " and " + writeBufferBytes + " bytes");
        }
        if (readMessageBytes < 1 || readMessageBytes > MAX_READ_MESSAGE_BYTES) {
            throw new IllegalArgumentException("read message size must be between 1 byte and "
                    + ByteSize.format(MAX_READ_MESSAGE_BYTES) + ", not " + readMessageBytes);
        }
    }

    /** A builder holding the defaults, for a node of the given master keeping its data in {@code dataDir}. */
    public static Builder builder(String masterAddress, Path dataDir) {
        return new Builder(masterAddress, dataDir);
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder(masterAddress, dataDir).port(port).id(id).advertiseAddress(advertiseAddress)
                .capacityBytes(capacityBytes).diskThreads(diskThreads).readMessageBytes(readMessageBytes)
                .scrubInterval(scrubInterval).scrubBytesPerSecond(scrubBytesPerSecond)
                .copyBytesPerSecond(copyBytesPerSecond).maxChunkWrites(maxChunkWrites).writeBufferBytes(writeBufferBytes);
    }

    /** Whether {@link #advertiseAddress()} names a port, rather than only a host. */
    public boolean advertisesPort() {
        return advertiseAddress != null && isHostPort(advertiseAddress);
    }

    private static boolean isHostPort(String address) {
        var m = HOST_PORT.matcher(address);
        return m.matches() && Integer.parseInt(m.group(2)) >= 1 && Integer.parseInt(m.group(2)) <= 65535;
    }

    /**
     * Collects the settings of a {@link ChunkServerConfig}, starting from the defaults; {@link #build()}
     * validates them. Not thread-safe.
     */
    public static final class Builder {
        private String masterAddress;
        private int port = DEFAULT_PORT;
        private Path dataDir;
        private String id;
        private String advertiseAddress;
        private long capacityBytes = DEFAULT_CAPACITY_BYTES;
        private int diskThreads = DEFAULT_DISK_THREADS;
        private int readMessageBytes = DEFAULT_READ_MESSAGE_BYTES;
        private Duration scrubInterval = DEFAULT_SCRUB_INTERVAL;
        private long scrubBytesPerSecond = DEFAULT_SCRUB_BYTES_PER_SECOND;
        private long copyBytesPerSecond = DEFAULT_COPY_BYTES_PER_SECOND;
        private int maxChunkWrites = DEFAULT_MAX_CHUNK_WRITES;
        private long writeBufferBytes = DEFAULT_WRITE_BUFFER_BYTES;

        private Builder(String masterAddress, Path dataDir) {
            this.masterAddress = masterAddress;
            this.dataDir = dataDir;
        }

        public Builder masterAddress(String value) {
            masterAddress = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        /** The node's id; null (the default) uses the one persisted in the data directory, or makes one. */
        public Builder id(String value) {
            id = value;
            return this;
        }

        /** {@code host:port} or {@code host}; null (the default) is this machine's address facing the master. */
        public Builder advertiseAddress(String value) {
            advertiseAddress = value;
            return this;
        }

        public Builder capacityBytes(long value) {
            capacityBytes = value;
            return this;
        }

        public Builder diskThreads(int value) {
            diskThreads = value;
            return this;
        }

        public Builder readMessageBytes(int value) {
            readMessageBytes = value;
            return this;
        }

        public Builder scrubInterval(Duration value) {
            scrubInterval = value;
            return this;
        }

        public Builder scrubBytesPerSecond(long value) {
            scrubBytesPerSecond = value;
            return this;
        }

        public Builder copyBytesPerSecond(long value) {
            copyBytesPerSecond = value;
            return this;
        }

        public Builder maxChunkWrites(int value) {
            maxChunkWrites = value;
            return this;
        }

        public Builder writeBufferBytes(long value) {
            writeBufferBytes = value;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException saying which setting is wrong
         */
        public ChunkServerConfig build() {
            return new ChunkServerConfig(masterAddress, port, dataDir, id, advertiseAddress, capacityBytes,
                    diskThreads, readMessageBytes, scrubInterval, scrubBytesPerSecond, copyBytesPerSecond,
                    maxChunkWrites, writeBufferBytes);
        }
    }
}
