package io.granary.common.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-ins for masters: in-process servers of one unary method that answers with the server's
 * address, each acting as the active master, a standby (refusing as {@link StandbyRefusal} does), a
 * master failing with a plain UNAVAILABLE, or a dead one (its server shut down). Addresses are
 * {@code host:port} in-process names unique to each fixture.
 */
final class TestMasters implements AutoCloseable {
    static final MethodDescriptor<String, String> CALL = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("granary.test.Master/Call")
            .setRequestMarshaller(new Utf8())
            .setResponseMarshaller(new Utf8())
            .build();

    final List<Node> nodes = new ArrayList<>();

    TestMasters(int count) {
        String run = UUID.randomUUID().toString();
        for (int i = 1; i <= count; i++) {
            nodes.add(new Node("m" + i + "-" + run + ":" + (7000 + i)));
        }
    }

    Node node(int number) {
        return nodes.get(number - 1);
    }

    /** Every address, comma-separated, in order. */
    String list() {
        return String.join(",", nodes.stream().map(n -> n.address).toList());
    }

    MasterChannel channel() {
        return MasterChannel.open(list(), address -> InProcessChannelBuilder.forName(address).directExecutor().build());
    }

    /** One call of {@link #CALL} over {@code channel}: the answering master's address. */
    static String call(Channel channel) {
        return ClientCalls.blockingUnaryCall(channel, CALL, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS),
                "ping");
    }

    @Override
    public void close() {
        nodes.forEach(Node::kill);
    }

    /** One stand-in master. By default active. */
    static final class Node {
        final String address;
        /** Calls that reached this master. */
        final AtomicInteger calls = new AtomicInteger();
        private volatile StatusRuntimeException failure;
        /** How many more calls fail with {@link #failure}; negative: all of them. */
        private final AtomicInteger failuresLeft = new AtomicInteger(-1);
        private final Server server;

        Node(String address) {
            this.address = address;
            ServerServiceDefinition service = ServerServiceDefinition.builder("granary.test.Master")
                    .addMethod(CALL, ServerCalls.asyncUnaryCall((request, answer) -> {
                        calls.incrementAndGet();
                        StatusRuntimeException fail = failure;
                        if (fail != null && failuresLeft.getAndDecrement() != 0) {
                            answer.onError(fail);
                            return;
                        }
                        answer.onNext(address);
                        answer.onCompleted();
                    }))
                    .build();
            try {
                server = InProcessServerBuilder.forName(address).directExecutor().addService(service).build().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Node active() {
            failure = null;
            return this;
        }

        /** Refuses every call as a standby that names {@code active} as the active master. */
        Node standbyOf(Node active) {
            return failing(StandbyRefusal.of(address, Optional.of(active.address)), -1);
        }

        /** Refuses every call as a standby that knows no active master. */
        Node standby() {
            return failing(StandbyRefusal.of(address, Optional.empty()), -1);
        }

        /** Refuses its next {@code times} calls as a standby that knows no active master, then is active. */
        Node standbyFor(int times) {
            return failing(StandbyRefusal.of(address, Optional.empty()), times);
        }

        /** Fails its next {@code times} calls (negative: all) with a plain UNAVAILABLE after seeing them. */
        Node unavailableFor(int times) {
            return failing(Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException(), times);
        }

        private Node failing(StatusRuntimeException value, int times) {
            failuresLeft.set(times);
            failure = value;
            return this;
        }

        /** Shuts the server down: calls to it fail with UNAVAILABLE without reaching it. */
        void kill() {
            server.shutdownNow();
        }
    }

    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
