package io.granary.client.fake;

import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.common.grpc.ChannelPool;
import io.granary.proto.ChunkLocation;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-process master and chunkservers, each a real gRPC server on its own in-process name, for
 * unit tests of the client side. The master's service can be replaced per test.
 */
public final class FakeCluster implements AutoCloseable {
    public final FakeMaster master;
    /** The master's token service. */
    public final FakeAuth auth = new FakeAuth();
    public final FakeGrants grants = new FakeGrants();
    public final List<FakeChunkServer> chunkservers = new ArrayList<>();
    private final MutableHandlerRegistry masterRegistry = new MutableHandlerRegistry();
    private final List<Server> servers = new ArrayList<>();
    private final String masterName = InProcessServerBuilder.generateName();
    private final ManagedChannel masterChannel;
    private final boolean direct;

    private FakeCluster(int chunkserverCount, boolean direct) {
        this.direct = direct;
        master = new FakeMaster(this);
        masterRegistry.addService(master);
        masterRegistry.addService(auth);
        masterRegistry.addService(grants);
        servers.add(start(InProcessServerBuilder.forName(masterName).fallbackHandlerRegistry(masterRegistry)));
        for (int i = 1; i <= chunkserverCount; i++) {
            FakeChunkServer cs = new FakeChunkServer(this, "cs-" + i, InProcessServerBuilder.generateName());
            chunkservers.add(cs);
            servers.add(start(InProcessServerBuilder.forName(cs.address).addService(cs)));
        }
        masterChannel = channel(InProcessChannelBuilder.forName(masterName));
    }

    /** A cluster whose servers and client channels run callbacks on the calling thread. */
    public static FakeCluster start(int chunkservers) {
        return new FakeCluster(chunkservers, true);
    }

    /** A cluster whose servers and client channels run callbacks on gRPC's thread pools, as in production. */
    public static FakeCluster startThreaded(int chunkservers) {
        return new FakeCluster(chunkservers, false);
    }

    /** A client of this cluster; the caller closes it. */
    public GranaryClient client(ClientOptions options) {
        return new GranaryClient(masterChannel, channels(), options);
    }

    /**
     * Also serves this cluster's master over TCP on a free loopback port, for clients made by
     * {@link GranaryClient#connect}; closed with the cluster. Its chunkservers stay in-process.
     *
     * @return the master's {@code host:port}
     */
    public String serveMasterOnLoopback() {
        Server server = start(NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .fallbackHandlerRegistry(masterRegistry));
        servers.add(server);
        return "127.0.0.1:" + server.getPort();
    }

    /** In-process channels to this cluster's chunkservers. */
    public ChannelPool channels() {
        return new ChannelPool(address -> channel(InProcessChannelBuilder.forName(address)));
    }

    /** Serves {@code service} as the master instead of the {@link FakeMaster}. */
    public void replaceMaster(BindableService service) {
        masterRegistry.addService(service);
    }

    public FakeChunkServer chunkserver(int number) {
        return chunkservers.get(number - 1);
    }

    public long bytesSentByChunkservers() {
        return chunkservers.stream().mapToLong(cs -> cs.bytesSent.get()).sum();
    }

    FakeChunkServer chunkserverAt(String address) {
        return chunkservers.stream().filter(cs -> cs.address.equals(address)).findFirst().orElseThrow();
    }

    ChunkLocation locationOf(String chunkserverId) {
        return chunkservers.stream().filter(cs -> cs.id.equals(chunkserverId)).findFirst().orElseThrow().location();
    }

    @Override
    public void close() {
        masterChannel.shutdownNow();
        servers.forEach(Server::shutdownNow);
    }

    private ManagedChannel channel(InProcessChannelBuilder builder) {
        return direct ? builder.directExecutor().build() : builder.build();
    }

    private Server start(ServerBuilder<?> builder) {
        try {
            return (direct ? builder.directExecutor() : builder).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
