package io.granary.client.fake;

import io.granary.common.grpc.StandbyRefusal;
import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A standby master on a free loopback port: it refuses every call of every service, as a real standby
 * does, naming the active master it was given.
 */
public final class FakeStandby implements AutoCloseable {
    /** Calls refused so far. */
    public final AtomicInteger refused = new AtomicInteger();
    private final Server server;

    /** A standby that names {@code activeAddress} as the active master; null for none. */
    public FakeStandby(String activeAddress) {
        StatusRuntimeException refusal = StandbyRefusal.of("standby", Optional.ofNullable(activeAddress));
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .fallbackHandlerRegistry(new Refusing(refusal))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Its {@code host:port}. */
    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    /** Finds every method, and answers each with the refusal. */
    private final class Refusing extends HandlerRegistry {
        private final StatusRuntimeException refusal;

        Refusing(StatusRuntimeException refusal) {
            this.refusal = refusal;
        }

        @Override
        public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
            MethodDescriptor<byte[], byte[]> method = MethodDescriptor.newBuilder(new Bytes(), new Bytes())
                    .setType(MethodDescriptor.MethodType.UNKNOWN)
                    .setFullMethodName(methodName)
                    .build();
            return ServerMethodDefinition.create(method, (call, headers) -> {
                refused.incrementAndGet();
                call.close(refusal.getStatus(), refusal.getTrailers());
                return new ServerCall.Listener<>() { };
            });
        }
    }

    private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
