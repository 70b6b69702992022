package io.granary.common.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Bridges between domain results and unary gRPC calls, written once. Served calls end exactly once:
 * either {@code onNext} + {@code onCompleted}, or {@code onError} with a mapped status; calls made
 * complete a future with the converted answer or the mapped failure.
 */
public final class GrpcCalls {
    private GrpcCalls() {
    }

    /** Runs blocking domain work and answers with its result or its mapped failure. */
    public static <T> void unary(StreamObserver<T> observer, Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (RuntimeException | Error e) { // an Error too: the call is answered either way
            observer.onError(GrpcErrors.toStatus(e));
            return;
        }
        observer.onNext(result);
        observer.onCompleted();
    }

    /**
     * An observer of a unary call's answer that completes {@code result} with {@code convert} of it,
     * or exceptionally with the failure mapped to a {@link io.granary.common.GranaryException}.
     */
    public static <R, T> StreamObserver<R> completing(CompletableFuture<T> result, Function<R, T> convert) {
        return new StreamObserver<>() {
            @Override
            public void onNext(R response) {
                result.complete(convert.apply(response));
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(GrpcErrors.fromStatus(t));
            }

            @Override
            public void onCompleted() {
                // the answer came with onNext
            }
        };
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
