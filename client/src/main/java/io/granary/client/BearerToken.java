package io.granary.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * Sends a Granary token on every call to the master as metadata {@code authorization: Bearer <token>},
 * as the gateway's HTTP header carries it; the master resolves it and acts as its principal.
 */
final class BearerToken implements ClientInterceptor {
    /** The metadata name the master reads (its PrincipalAdmission). */
    static final Metadata.Key<String> KEY = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private final String value;

    BearerToken(String token) {
        this.value = "Bearer " + token;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                headers.put(KEY, value);
                super.start(listener, headers);
            }
        };
    }
}
