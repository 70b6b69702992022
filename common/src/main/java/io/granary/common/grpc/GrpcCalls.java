package io.granary.common.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Bridges domain results to unary gRPC responses, written once so that every call ends exactly once:
 * either {@code onNext} + {@code onCompleted}, or {@code onError} with a mapped status.
 */
public final class GrpcCalls {
    private GrpcCalls() {
    }

    /** Runs blocking domain work and answers with its result or its mapped failure. */
    public static <T> void unary(StreamObserver<T> observer, Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e));
            return;
        }
        observer.onNext(result);
        observer.onCompleted();
    }

    /** Answers when an asynchronous domain result completes. */
    public static <T> void unaryAsync(StreamObserver<T> observer, CompletionStage<T> future) {
        future.whenComplete((result, failure) -> {
            if (failure != null) {
                observer.onError(GrpcErrors.toStatus(failure));
            } else {
                observer.onNext(result);
                observer.onCompleted();
            }
        });
    }
}
