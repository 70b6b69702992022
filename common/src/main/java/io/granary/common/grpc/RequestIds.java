package io.granary.common.grpc;

import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Request ids, so one upload can be followed across the logs of the gateway, the master and the
 * chunkservers. The gateway takes a sane {@code X-Request-Id} or makes one; every gRPC call made for
 * that request carries it as metadata {@value #METADATA_NAME}; servers put it in the SLF4J MDC under
 * {@value #MDC_KEY} around the call, so log patterns show it with {@code %X{requestId}}. The gateway
 * sends the request's client address with it ({@value #ADDRESS_METADATA_NAME}, as its {@code ClientIp}
 * decided it), which the master records in its audit log beside the id.
 *
 * <p>The id travels explicitly (a channel or an executor wrapped with it), never in a thread-local
 * that is hoped to cross executors. Thread-safe.
 */
public final class RequestIds {
    /** The HTTP header, in and out. */
    public static final String HEADER = "X-Request-Id";
    /** The gRPC metadata key. */
    public static final String METADATA_NAME = "x-granary-request-id";
    /** The MDC key, shown by logback's {@code %X{requestId}}. */
    public static final String MDC_KEY = "requestId";
    public static final int MAX_LENGTH = 64;
    /** The gRPC metadata key of the client's address. */
    public static final String ADDRESS_METADATA_NAME = "x-granary-client-address";

    private static final Logger log = LoggerFactory.getLogger(RequestIds.class);
    private static final Metadata.Key<String> METADATA_KEY =
            Metadata.Key.of(METADATA_NAME, Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> CONTEXT_KEY = Context.key(METADATA_NAME);
    private static final Metadata.Key<String> ADDRESS_KEY =
            Metadata.Key.of(ADDRESS_METADATA_NAME, Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> ADDRESS_CONTEXT_KEY = Context.key(ADDRESS_METADATA_NAME);
    /** An IPv4 or IPv6 literal's characters, at most as long as the longest one. */
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.%]{1,45}");
    /** Letters, digits, dot, underscore and dash only: safe in a log line and in a header. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    private RequestIds() {
    }

    /** Whether {@code id} may be used as is: 1 to 64 of {@code [A-Za-z0-9._-]}. */
    public static boolean isSane(String id) {
        return id != null && SANE.matcher(id).matches();
    }

    /** {@code incoming} when it is sane, otherwise a new id. */
    public static String orNew(String incoming) {
        return isSane(incoming) ? incoming : generate();
    }

    /** A new random id (a UUID without dashes: 32 hex digits). */
    public static String generate() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * The id of the gRPC call being served on this thread, or null: readable inside a service method
     * and its listener callbacks, where {@link #serverInterceptor} has attached it. Capture it there
     * and pass it on explicitly to work done on other threads.
     */
    public static String current() {
        return CONTEXT_KEY.get();
    }

    /**
     * The client address of the gRPC call being served on this thread, as the gateway sent it, or
     * null; readable where {@link #current()} is.
     */
    public static String currentClientAddress() {
        return ADDRESS_CONTEXT_KEY.get();
    }

    /** Attaches {@code id} as metadata to every call; null attaches nothing. */
    public static ClientInterceptor attaching(String id) {
        return attaching(id, null);
    }

    /**
     * Attaches {@code id} and the client's {@code address} (an IP literal) as metadata to every call;
     * either null, or an address that is not an IP literal's characters, is not attached.
     */
    public static ClientInterceptor attaching(String id, String address) {
        Metadata headers = new Metadata();
        if (id != null) {
            headers.put(METADATA_KEY, id);
        }
        if (address != null && ADDRESS.matcher(address).matches()) {
            headers.put(ADDRESS_KEY, address);
        }
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** {@code channel} with every call carrying {@code id}; {@code channel} itself when {@code id} is null. */
    public static Channel attach(Channel channel, String id) {
        return id == null ? channel : ClientInterceptors.intercept(channel, attaching(id));
    }

    /** {@code executor} with {@code id} in the MDC while each of its tasks runs; itself when {@code id} is null. */
    public static Executor inMdc(Executor executor, String id) {
        return id == null ? executor : task -> executor.execute(() -> runInMdc(id, task));
    }

    /** Runs {@code task} with {@code id} in the MDC, restoring what was there before. */
    public static void runInMdc(String id, Runnable task) {
        withMdc(id, () -> {
            task.run();
            return null;
        });
    }

    private static <T> T withMdc(String id, Supplier<T> work) {
        String previous = MDC.get(MDC_KEY);
        if (id == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, id);
        }
        try {
            return work.get();
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }

    /**
     * A server interceptor that reads a sane id from the metadata, makes it {@link #current()} and
     * puts it in the MDC during the service method and every callback of the call, makes a sane client
     * address {@link #currentClientAddress()}, and logs the
     * call's outcome at debug, prefixed by {@code nodeId}. Calls without an id get an empty MDC entry.
     */
    public static ServerInterceptor serverInterceptor(String nodeId) {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                               ServerCallHandler<Q, A> next) {
                String incoming = headers.get(METADATA_KEY);
                String id = isSane(incoming) ? incoming : null;
                String address = headers.get(ADDRESS_KEY);
                Context context = Context.current().withValue(CONTEXT_KEY, id).withValue(ADDRESS_CONTEXT_KEY,
                        address != null && ADDRESS.matcher(address).matches() ? address : null);
                ServerCall<Q, A> logged = new Logged<>(call, nodeId, id);
                ServerCall.Listener<Q> listener = withMdc(id, () -> Contexts.interceptCall(context, logged, headers, next));
                return new MdcListener<>(listener, id);
            }
        };
    }

    /** Logs a call's end with its id in the MDC, whichever thread ends it. */
    private static final class Logged<Q, A> extends ForwardingServerCall.SimpleForwardingServerCall<Q, A> {
        private final String nodeId;
        private final String id;

        Logged(ServerCall<Q, A> call, String nodeId, String id) {
            super(call);
            this.nodeId = nodeId;
            this.id = id;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (id != null && log.isDebugEnabled()) {
                runInMdc(id, () -> log.debug("{}: {} ended: {}", nodeId, getMethodDescriptor().getFullMethodName(),
                        status.getCode()));
            }
            super.close(status, trailers);
        }
    }

    /** Puts the id in the MDC around every callback, on whatever thread gRPC runs it. */
    private static final class MdcListener<Q> extends ServerCall.Listener<Q> {
        private final ServerCall.Listener<Q> delegate;
        private final String id;

        MdcListener(ServerCall.Listener<Q> delegate, String id) {
            this.delegate = delegate;
            this.id = id;
        }

        @Override
        public void onMessage(Q message) {
            runInMdc(id, () -> delegate.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            runInMdc(id, delegate::onHalfClose);
        }

        @Override
        public void onCancel() {
            runInMdc(id, delegate::onCancel);
        }

        @Override
        public void onComplete() {
            runInMdc(id, delegate::onComplete);
        }

        @Override
        public void onReady() {
            runInMdc(id, delegate::onReady);
        }
    }
}
