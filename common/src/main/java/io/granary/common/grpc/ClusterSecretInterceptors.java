package io.granary.common.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The cluster secret on every gRPC hop between gateway/client, master and chunkservers: the client
 * side attaches it as metadata {@value #HEADER}; the server side refuses, with UNAUTHENTICATED, any
 * call that does not carry exactly the configured one, unless {@link #admitting} let a
 * {@link SecretlessAdmission} admit it by a credential of its own (a token's client). The
 * interceptors are stateless and thread-safe.
 */
public final class ClusterSecretInterceptors {
    private static final Logger log = LoggerFactory.getLogger(ClusterSecretInterceptors.class);

    public static final String HEADER = "x-granary-cluster-secret";
    static final Metadata.Key<String> KEY = Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);
    /**
     * Calls to this service need no secret. Orchestrators probe {@code grpc.health.v1} with tools
     * (grpc_health_probe, Kubernetes' grpc probe) that cannot send custom metadata, and the answer
     * (SERVING or not) tells an attacker nothing the open port did not already say.
     */
    public static final String EXEMPT_SERVICE = "grpc.health.v1.Health";

    /** Set by {@link #admitting} on a call whose own credential it accepted: the secret is not asked. */
    private static final Context.Key<Boolean> ADMITTED = Context.keyWithDefault("granary-admitted", false);

    private ClusterSecretInterceptors() {
    }

    /** Whether a call's headers carry a cluster secret at all, right or wrong. */
    public static boolean carriesSecret(Metadata headers) {
        return headers.containsKey(KEY);
    }

    /**
     * The interceptor that lets {@code admission} decide the calls it claims, added to a server after
     * (so it runs before) the one of {@link #server}, which then lets through what it admitted. A call
     * it refuses is closed with its status; {@code nodeId} prefixes the log line.
     */
    public static ServerInterceptor admitting(String nodeId, SecretlessAdmission admission) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                if (EXEMPT_SERVICE.equals(call.getMethodDescriptor().getServiceName())) {
                    return next.startCall(call, headers);
                }
                Optional<Context> admitted;
                try {
                    admitted = admission.admit(call, headers);
                } catch (StatusRuntimeException e) {
                    // a caller held back for its failures is not logged again at each of its tries
                    log.atLevel(e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED ? Level.DEBUG : Level.WARN)
                            .log("{}: refused {} from {}: {}", nodeId, call.getMethodDescriptor().getFullMethodName(),
                                    call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
                                    e.getStatus().getDescription());
                    call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
                    return new ServerCall.Listener<>() { };
                }
                return admitted.isEmpty() ? next.startCall(call, headers)
                        : Contexts.interceptCall(admitted.get().withValue(ADMITTED, true), call, headers, next);
            }
        };
    }

    /** Attaches {@code secret} (checked by {@link ClusterSecret#of}) to every call on the channel. */
    public static ClientInterceptor client(ClusterSecret secret) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                         Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        headers.put(KEY, secret.value());
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    /**
     * Refuses every call but {@link #EXEMPT_SERVICE}'s that lacks {@code secret}, before the service
     * sees it (so a refused WriteChunk writes nothing). The answer says whether the secret was missing
     * or wrong, never what it was; {@code nodeId} prefixes the log line.
     */
    public static ServerInterceptor server(String nodeId, ClusterSecret secret) {
        byte[] expected = secret.value().getBytes(StandardCharsets.UTF_8);
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                if (EXEMPT_SERVICE.equals(call.getMethodDescriptor().getServiceName()) || ADMITTED.get()) {
                    return next.startCall(call, headers);
                }
                String given = headers.get(KEY);
                if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                    return next.startCall(call, headers);
                }
                String problem = given == null ? "missing cluster secret" : "wrong cluster secret";
                log.warn("{}: refused {} from {}: {}", nodeId, call.getMethodDescriptor().getFullMethodName(),
                        call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), problem);
                call.close(Status.UNAUTHENTICATED.withDescription(problem + ": calls inside a Granary cluster "
                        + "must carry metadata " + HEADER + " equal to the cluster's --cluster-secret "
                        + "(GRANARY_CLUSTER_SECRET)"), new Metadata());
                return new ServerCall.Listener<>() { };
            }
        };
    }
}
