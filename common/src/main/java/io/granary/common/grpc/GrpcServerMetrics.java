package io.granary.common.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Times every gRPC call a server answers, as {@code granary_grpc_server_calls_seconds} tagged with
 * the full method name and the status code; the count of the timer is the number of calls. A call
 * is recorded when the server closes it (a call cancelled by its client before that is not).
 * Thread-safe.
 */
public final class GrpcServerMetrics implements ServerInterceptor {
    public static final String NAME = "granary.grpc.server.calls";

    private final MeterRegistry registry;

    public GrpcServerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        long startNanos = System.nanoTime();
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                Timer.builder(NAME).description("gRPC calls served, by method and status")
                        .tag("method", call.getMethodDescriptor().getFullMethodName())
                        .tag("status", status.getCode().name())
                        .register(registry)
                        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
                super.close(status, trailers);
            }
        }, headers);
    }
}
