package io.granary.chunkserver;

import io.granary.chunkserver.grpc.ChunkServerGrpcService;
import io.granary.chunkserver.grpc.ReadBudget;
import io.granary.chunkserver.grpc.ReadBudgetMetrics;
import io.granary.chunkserver.grpc.ReadChunkHold;
import io.granary.chunkserver.grpc.TicketAdmission;
import io.granary.chunkserver.integrity.BandwidthThrottle;
import io.granary.chunkserver.integrity.ScrubTask;
import io.granary.chunkserver.master.MasterLink;
import io.granary.chunkserver.replication.ChunkCopier;
import io.granary.chunkserver.replication.WriteAdmission;
import io.granary.chunkserver.replication.WriteAdmissionMetrics;
import io.granary.chunkserver.store.ChunkStore;
import io.granary.chunkserver.store.FileChunkStore;
import io.granary.chunkserver.store.MeteredChunkStore;
import io.granary.chunkserver.store.NodeIdentity;
import io.granary.chunkserver.wire.ChunkServerProtos;
import io.granary.common.ByteSize;
import io.granary.common.MonotonicClock;
import io.granary.common.NamedThreadFactory;
import io.granary.common.grpc.ChannelPool;
import io.granary.common.grpc.ChunkAccess;
import io.granary.common.grpc.ClusterSecretInterceptors;
import io.granary.common.grpc.ClusterSecurity;
import io.granary.common.grpc.GrpcServerMetrics;
import io.granary.common.grpc.MasterChannel;
import io.granary.common.grpc.RequestIds;
import io.granary.common.metrics.Registries;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chunkserver: owns its chunk store, its gRPC server, its channels and its link to the master,
 * and their lifecycle. {@link #start()} recovers the store, binds, then registers with the master in
 * the background (an unreachable master never fails start-up). Thread-safe.
 */
public final class ChunkServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChunkServer.class);

    /** Room for a 4 MiB data piece (the writers' limit) plus its framing. */
    static final int MAX_INBOUND_MESSAGE_BYTES = (int) (5 * ByteSize.MIB);
    /**
     * The HTTP/2 window of each inbound stream and connection, fixed. A write asks for its next piece
     * only when the last one is on disk, so what a writer sends beyond it waits here, in direct
     * memory; gRPC's default window, tuned to the bandwidth-delay product, grows to several MiB per
     * stream on a fast link, and chunk writes at once then ran a bounded JVM out of direct memory.
     * One 1 MiB piece in flight keeps a stream streaming.
     */
    static final int WRITE_WINDOW_BYTES = (int) ByteSize.MIB;
    private static final long SHUTDOWN_GRACE_SECONDS = 5;
    /** Repair copies running at once here; the master's per-node limit (2 by default) stays below it. */
    static final int COPY_THREADS = 4;
    /** A copy slower than this is abandoned; the master orders it again. */
    static final Duration COPY_DEADLINE = Duration.ofMinutes(10);

    private enum State { NEW, RUNNING, STOPPED }

    private final ChunkServerConfig config;
    private final Optional<ChunkAccess> tickets;
    private final ServerBuilder<?> serverBuilder;
    private final ChannelPool channels;
    private State state = State.NEW;
    /** True from the end of {@link #start()} to the start of {@link #close()} or {@link #kill()}. */
    private volatile boolean serving;
    private volatile String id;
    private volatile String address;
    private FileChunkStore store;
    private ExecutorService diskPool;
    private ExecutorService grpcPool;
    private ExecutorService copyPool;
    private ScheduledExecutorService scrubber;
    private ScheduledExecutorService checkpointer;
    private ScrubTask scrubTask;
    private MasterLink masterLink;
    /** {@code grpc.health.v1}: SERVING once started, NOT_SERVING for good once stopped or killed. */
    private final HealthStatusManager health = new HealthStatusManager();
    /** One per node, so chunkservers sharing a JVM (tests, {@code granary local}) keep their counts apart. */
    private final PrometheusMeterRegistry metrics = Registries.prometheusWithJvm();
    private final ReadChunkHold readHold = new ReadChunkHold();
    private Server server;

    /**
     * A chunkserver on the configured port. Every call to it, and every call it makes (to the master,
     * down the write chain, for repair copies), carries {@code security}'s cluster secret (over TLS
     * when configured), so nobody can read or write chunks around the gateway.
     */
    public ChunkServer(ChunkServerConfig config, ClusterSecurity security) {
        this(config, security.serverBuilder(config.id() != null ? config.id() : "chunkserver", config.port()),
                channelPool(security), security.chunkAccess(Clock.systemUTC()));
    }

    /**
     * Channels to other nodes as a chunkserver opens them: they carry {@code security}'s cluster
     * secret and ping a silent connection ({@link ClusterSecurity#KEEPALIVE}), so that a stream waiting
     * on a peer that vanished notices; closing the pool leaves calls in flight to finish.
     */
    public static ChannelPool channelPool(ClusterSecurity security) {
        return ChannelPool.secured(security,
                ChannelPool.Options.DEFAULTS.withCloseGrace(Duration.ZERO));
    }

    /**
     * For tests: serve on {@code serverBuilder} (for example an in-process one, which then needs an
     * advertise address with a port) and reach other nodes through {@code channels}. The server
     * takes ownership of {@code channels} and closes it.
     */
    public ChunkServer(ChunkServerConfig config, ServerBuilder<?> serverBuilder, ChannelPool channels) {
        this(config, serverBuilder, channels, Optional.empty());
    }

    /**
     * As {@link #ChunkServer(ChunkServerConfig, ServerBuilder, ChannelPool)}, also serving ReadChunk and
     * WriteChunk to callers without the cluster secret that show a ticket {@code tickets} accepts (the
     * master's, keyed by the same secret: see {@link ClusterSecurity#chunkAccess}); empty: none.
     */
    public ChunkServer(ChunkServerConfig config, ServerBuilder<?> serverBuilder, ChannelPool channels,
                       Optional<ChunkAccess> tickets) {
        this.tickets = tickets;
        this.config = config;
        this.serverBuilder = serverBuilder;
        this.channels = channels;
    }

    /**
     * Recovers the store, starts serving, and starts registering with the master.
     *
     * @throws IOException when the port cannot be bound or the data directory cannot be used
     * @throws IllegalStateException when the configured id differs from the one in the data directory,
     *     or the server was started before
     */
    public synchronized void start() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("a chunkserver starts once");
        }
        state = State.RUNNING;
        try {
            Files.createDirectories(config.dataDir());
            id = NodeIdentity.resolve(config.dataDir(), config.id());
            log.info("{}: starting with {}", id, config);
            store = FileChunkStore.open(config.dataDir(), id, config.capacityBytes());
            diskPool = Executors.newFixedThreadPool(config.diskThreads(), new NamedThreadFactory(id + "-disk"));
            grpcPool = Executors.newCachedThreadPool(new NamedThreadFactory(id + "-grpc"));
            copyPool = Executors.newFixedThreadPool(COPY_THREADS, new NamedThreadFactory(id + "-copy"));
            masterLink = new MasterLink(id, config.masterAddress(), MasterChannel.over(config.masterAddress(), channels),
                    () -> ChunkServerProtos.registration(id, address, store));
            store.onCorruption(masterLink::reportBadReplica);
            ChunkStore metered = new MeteredChunkStore(store, metrics);
            registerJournalMeters(store);
            WriteAdmission admission = new WriteAdmission(id, config.maxChunkWrites(), config.writeBufferBytes());
            WriteAdmissionMetrics.register(admission, metrics);
            ReadBudget readBudget = new ReadBudget(ChunkServerGrpcService.DEFAULT_READ_BUDGET_BYTES);
            ReadBudgetMetrics.register(readBudget, metrics);
            ChunkCopier copier = new ChunkCopier(id, metered, channels,
                    new BandwidthThrottle(config.copyBytesPerSecond()), COPY_DEADLINE);
            if (serverBuilder instanceof NettyServerBuilder netty) { // an in-process test server has no window
                netty.flowControlWindow(WRITE_WINDOW_BYTES);
            }
            serverBuilder
                    .addService(new ChunkServerGrpcService(id, metered, admission, channels, diskPool,
                            config.readMessageBytes(), masterLink::heartbeatReceived, copier, copyPool, readHold,
                            readBudget, tickets))
                    .addService(health.getHealthService())
                    // behind the cluster secret like every service but health: see ClusterSecretInterceptors
                    .addService(ProtoReflectionServiceV1.newInstance());
            if (tickets.isPresent()) {
                // a token's client, admitted here before the cluster secret is asked for, shows a ticket
                serverBuilder.intercept(ClusterSecretInterceptors.admitting(id, new TicketAdmission()));
            }
            server = serverBuilder
                    .intercept(new GrpcServerMetrics(metrics))
                    .intercept(RequestIds.serverInterceptor(id))
                    .executor(grpcPool)
                    .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
                    .build()
                    .start();
            address = advertisedAddress(server.getPort());
        } catch (IOException | RuntimeException e) {
            kill();
            throw e;
        }
        log.info("{}: serving {} chunks from {} on port {}, advertised as {}; master at {}", id, store.chunkCount(),
                config.dataDir(), server.getPort(), address, config.masterAddress());
        masterLink.start();
        startScrubber();
        startCheckpoints();
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        serving = true;
    }

    /** What {@code grpc.health.v1} says, without a call: started and not stopped. Non-blocking. */
    public boolean serving() {
        return serving;
    }

    private void startScrubber() {
        if (config.scrubBytesPerSecond() == 0) {
            log.info("{}: scrubber off", id);
            return;
        }
        scrubTask = new ScrubTask(id, store, config.scrubInterval(),
                new BandwidthThrottle(config.scrubBytesPerSecond()), MonotonicClock.system()::millis,
                MeteredChunkStore.checksumFailures(metrics, "scrub")::increment);
        scrubber = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory(id + "-scrub"));
        long every = Math.max(100, Math.min(config.scrubInterval().toMillis() / 10, 60_000));
        scrubber.scheduleWithFixedDelay(scrubTask, every, every, TimeUnit.MILLISECONDS);
    }

    private void registerJournalMeters(FileChunkStore store) {
        FunctionCounter.builder("granary.chunk.journal.records", store, FileChunkStore::journalRecords)
                .description("Records appended to the commit journal: small chunks committed through it, "
                        + "and tombstones").register(metrics);
        FunctionCounter.builder("granary.chunk.journal.forces", store, FileChunkStore::journalForces)
                .description("Fsyncs of the commit journal, each shared by every record appended before it")
                .register(metrics);
    }

    /** Every checkpoint interval, the journal moves on to a new segment and settles the old ones. */
    private void startCheckpoints() {
        checkpointer = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory(id + "-checkpoint"));
        long every = FileChunkStore.CHECKPOINT_INTERVAL.toMillis();
        checkpointer.scheduleWithFixedDelay(this::checkpoint, every, every, TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        try {
            store.checkpoint();
        } catch (RuntimeException e) { // the next one tries again; the journal still holds the chunks
            log.warn("{}: journal checkpoint failed: {}", id, e.getMessage());
        }
    }

    private void stopScrubber() {
        if (scrubTask != null) {
            scrubTask.stop();
        }
        if (scrubber != null) {
            scrubber.shutdownNow();
        }
    }

    /** The bound gRPC port (-1 for an in-process server). Valid after {@link #start()}. */
    public int port() {
        return server.getPort();
    }

    /** The node's stable id. Valid after {@link #start()}. */
    public String id() {
        return id;
    }

    /** The advertised {@code host:port}. Valid after {@link #start()}. */
    public String address() {
        return address;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** Renders this node's meters in the Prometheus text format, for its metrics port. */
    public String scrapeMetrics() {
        return metrics.scrape();
    }

    /** Counts this node's ReadChunk calls and can hang them, for fault-injection tests. */
    public ReadChunkHold readChunkHold() {
        return readHold;
    }

    /** The chunk store, for tests and tools that inspect replicas. Valid after {@link #start()}. */
    public ChunkStore store() {
        return store;
    }

    /** Stops gracefully: no new calls, calls in flight get a grace period, then everything closes. Idempotent. */
    @Override
    public synchronized void close() {
        if (state != State.RUNNING) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPED;
        serving = false;
        log.info("{}: stopping", id);
        // first, so that probes see NOT_SERVING while calls in flight finish
        health.enterTerminalState();
        stopScrubber();
        masterLink.close();
        store.close();
        server.shutdown();
        try {
            if (!server.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)) {
                server.shutdownNow().awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
            }
            diskPool.shutdown();
            diskPool.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        copyPool.shutdownNow();
        stopCheckpoints();
        try {
            store.checkpointAll();
        } catch (RuntimeException e) { // the next start replays the journal
            log.warn("{}: final journal checkpoint failed: {}", id, e.getMessage());
        }
        store.closeJournal();
        channels.close();
        grpcPool.shutdown();
        log.info("{}: stopped", id);
    }

    /**
     * Stops abruptly, standing in for {@code kill -9} in tests: cancels every call and channel, stops
     * every task, tells the master nothing and cleans nothing up. Idempotent.
     */
    public synchronized void kill() {
        state = State.STOPPED;
        serving = false;
        log.info("{}: killed", id);
        health.enterTerminalState();
        stopScrubber();
        if (copyPool != null) {
            copyPool.shutdownNow();
        }
        if (masterLink != null) {
            masterLink.close();
        }
        if (server != null) {
            server.shutdownNow();
        }
        // Before the call executor goes: the forceful close resets each call through it, and a
        // refused task would leave the connections open and the callers waiting.
        awaitServerTermination();
        channels.shutdownNow();
        if (diskPool != null) {
            diskPool.shutdownNow();
        }
        if (grpcPool != null) {
            grpcPool.shutdownNow();
        }
        stopCheckpoints();
        if (store != null) {
            store.close();
            store.closeJournal(); // without a checkpoint, as kill -9 would: the next start replays it
        }
    }

    private void stopCheckpoints() {
        if (checkpointer == null) {
            return;
        }
        checkpointer.shutdown(); // no interrupt: it would close the journal's file under a force
        try {
            checkpointer.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitServerTermination() {
        if (server == null) {
            return;
        }
        try {
            server.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS); // frees the port for a restart
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String advertisedAddress(int boundPort) {
        if (config.advertisesPort()) {
            return config.advertiseAddress();
        }
        if (boundPort < 0) {
            throw new IllegalStateException("a server without a port needs an advertise address with one");
        }
        // Unset (a scaled compose service): the address facing the (first) master, never a blind 127.0.0.1.
        String host = config.advertiseAddress() != null ? config.advertiseAddress()
                : AdvertiseAddress.hostFacing(MasterChannel.firstAddress(config.masterAddress()));
        return host + ":" + boundPort;
    }
}
