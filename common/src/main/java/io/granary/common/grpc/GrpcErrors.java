package io.granary.common.grpc;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.NotActiveException;
import io.granary.common.OverloadedException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one table between domain errors and gRPC status codes, used by every service on the way out
 * and by every client on the way in. Only the message crosses the wire, never a stack trace.
 */
public final class GrpcErrors {
    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    private static final Map<ErrorKind, Status.Code> CODES = new EnumMap<>(Map.ofEntries(
            Map.entry(ErrorKind.INVALID_ARGUMENT, Status.Code.INVALID_ARGUMENT),
            Map.entry(ErrorKind.NOT_FOUND, Status.Code.NOT_FOUND),
            Map.entry(ErrorKind.ALREADY_EXISTS, Status.Code.ALREADY_EXISTS),
            Map.entry(ErrorKind.FAILED_PRECONDITION, Status.Code.FAILED_PRECONDITION),
            // gRPC's code for a failed optimistic-concurrency check ("sequencer check failures")
            Map.entry(ErrorKind.PRECONDITION_FAILED, Status.Code.ABORTED),
            Map.entry(ErrorKind.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED),
            Map.entry(ErrorKind.PERMISSION_DENIED, Status.Code.PERMISSION_DENIED),
            Map.entry(ErrorKind.UNAVAILABLE, Status.Code.UNAVAILABLE),
            Map.entry(ErrorKind.RESOURCE_EXHAUSTED, Status.Code.RESOURCE_EXHAUSTED),
            Map.entry(ErrorKind.DATA_LOSS, Status.Code.DATA_LOSS),
            Map.entry(ErrorKind.DEADLINE_EXCEEDED, Status.Code.DEADLINE_EXCEEDED),
            Map.entry(ErrorKind.CANCELLED, Status.Code.CANCELLED),
            Map.entry(ErrorKind.INTERNAL, Status.Code.INTERNAL)));

    /**
     * gRPC's standard trailer for load shedding: how long the client should wait before retrying a
     * RESOURCE_EXHAUSTED call. Its presence is what tells "busy, retry later" from "disk full".
     */
    public static final Metadata.Key<String> RETRY_PUSHBACK_MS =
            Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

    private GrpcErrors() {
    }

    /**
     * The status to send for a failure thrown by domain code. An {@link OverloadedException} or an
     * {@link OutOfMemoryError} becomes RESOURCE_EXHAUSTED with the pushback trailer; any other
     * unknown failure (an {@link Error} included) is logged here and becomes INTERNAL.
     */
    public static StatusRuntimeException toStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (t instanceof StatusException se) {
            return se.getStatus().asRuntimeException(se.getTrailers());
        }
        if (t instanceof OverloadedException oe) {
            return overloaded(oe.getMessage(), oe.retryAfter());
        }
        if (t instanceof NotActiveException nae) {
            return StandbyRefusal.of(nae.masterId(), nae.activeMaster(), nae.getMessage());
        }
        if (t instanceof GranaryException ge) {
            return Status.fromCode(CODES.get(ge.kind())).withDescription(ge.getMessage()).asRuntimeException();
        }
        if (t instanceof OutOfMemoryError) {
            // Refused for now, not broken: the memory comes back as calls end.
            log.error("out of memory", t);
            return overloaded("out of memory: " + t.getMessage(), OverloadedException.DEFAULT_RETRY_AFTER);
        }
        log.error("unexpected failure", t);
        return Status.INTERNAL.withDescription("internal error: " + t.getClass().getSimpleName())
                .asRuntimeException();
    }

    /**
     * The domain failure for a status received from a peer; the message is kept as the peer wrote it.
     * RESOURCE_EXHAUSTED with the pushback trailer becomes an {@link OverloadedException}.
     */
    public static GranaryException fromStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof GranaryException ge) {
            return ge;
        }
        Status status = Status.fromThrowable(t);
        Metadata trailers = Status.trailersFromThrowable(t);
        String pushback = trailers == null ? null : trailers.get(RETRY_PUSHBACK_MS);
        if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && pushback != null) {
            return new OverloadedException(status.getDescription() != null ? status.getDescription()
                    : "the peer is overloaded", parseMillis(pushback), t);
        }
        String message = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        if (StandbyRefusal.isRefusal(status, trailers)) {
            return new NotActiveException(trailers.get(StandbyRefusal.STANDBY), StandbyRefusal.activeMaster(trailers),
                    message);
        }
        return new GranaryException(kindOf(status.getCode()), message, t);
    }

    /** The kind a status code stands for; codes with no kind of their own are INTERNAL. */
    public static ErrorKind kindOf(Status.Code code) {
        for (Map.Entry<ErrorKind, Status.Code> e : CODES.entrySet()) {
            if (e.getValue() == code) {
                return e.getKey();
            }
        }
        return ErrorKind.INTERNAL;
    }

    /** RESOURCE_EXHAUSTED with the pushback trailer: "busy, retry after {@code retryAfter}". */
    private static StatusRuntimeException overloaded(String message, Duration retryAfter) {
        Metadata trailers = new Metadata();
        trailers.put(RETRY_PUSHBACK_MS, Long.toString(retryAfter.toMillis()));
        return Status.RESOURCE_EXHAUSTED.withDescription(message).asRuntimeException(trailers);
    }

    private static Duration parseMillis(String millis) {
        try {
            return Duration.ofMillis(Math.max(0, Long.parseLong(millis)));
        } catch (NumberFormatException e) {
            return OverloadedException.DEFAULT_RETRY_AFTER;
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
