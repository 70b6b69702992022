package io.granary.common.grpc;

import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
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

    private GrpcErrors() {
    }

    /** The status to send for a failure thrown by domain code. Unknown failures are logged here. */
    public static StatusRuntimeException toStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (t instanceof StatusException se) {
            return se.getStatus().asRuntimeException(se.getTrailers());
        }
        if (t instanceof GranaryException ge) {
            return Status.fromCode(CODES.get(ge.kind())).withDescription(ge.getMessage()).asRuntimeException();
        }
        log.error("unexpected failure", t);
        return Status.INTERNAL.withDescription("internal error: " + t.getClass().getSimpleName())
                .asRuntimeException();
    }

    /** The domain failure for a status received from a peer; the message is kept as the peer wrote it. */
    public static GranaryException fromStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof GranaryException ge) {
            return ge;
        }
        Status status = Status.fromThrowable(t);
        String message = status.getDescription() != null ? status.getDescription() : status.getCode().name();
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

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
