package io.granary.cluster;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The response observer of a streaming call that keeps its first response, or its error, as a future;
 * a call that ends with no response completes it with null.
 */
final class FirstResponse<T> implements StreamObserver<T> {
    private final CompletableFuture<T> first = new CompletableFuture<>();

    /**
     * The first response, waiting at most 10 seconds for it.
     *
     * @throws StatusRuntimeException as the call failed
     */
    T await() {
        try {
            return first.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException sre) {
                throw sre;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void onNext(T value) {
        first.complete(value);
    }

    @Override
    public void onError(Throwable t) {
        first.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        first.complete(null);
    }
}
