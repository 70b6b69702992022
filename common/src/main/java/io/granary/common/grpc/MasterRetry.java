package io.granary.common.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which calls to the master are sent again while the masters fail over, and for how long. A call a
 * standby refused did nothing, so any call is sent again after it. A call that ended in a plain
 * UNAVAILABLE or a deadline (the master died, the connection broke, a lost machine never answered)
 * may have done its work: only an idempotent one
 * (a read, or a write the master settles once however often it comes: a commit, an abandon) is sent
 * again after it, and only when more than one master is listed. With one master, a plain UNAVAILABLE
 * means that master is down, and there is nobody to fail over to; its callers (the gateway's 503, a
 * load balancer's probe) expect to hear so at once, as they did before masters could fail over.
 *
 * <p>Pauses between attempts start at {@link #FIRST_PAUSE} and double up to {@link #MAX_PAUSE}, each
 * with up to a quarter taken off at random so that many clients do not come back in step. No attempt
 * starts once the next pause would end past the patience, so the loop lasts at most the patience plus
 * one attempt (each attempt keeps its own deadline); the last failure is then thrown. An interrupt
 * during a pause ends the loop with the last failure and the thread's interrupt flag set.
 *
 * <p>Immutable and thread-safe; {@link #call} blocks its caller.
 */
public final class MasterRetry {
    public static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    public static final Duration MAX_PAUSE = Duration.ofSeconds(1);

    private final long patienceNanos;
    private final boolean failoverPossible;

    /**
     * @param patience how long calls keep being sent again; zero for never
     * @param masters  how many masters the calls' channel knows (see {@link MasterChannel#size()})
     */
    public MasterRetry(Duration patience, int masters) {
        if (patience == null || patience.isNegative()) {
            throw new IllegalArgumentException("failover patience must be zero or more, not " + patience);
        }
        if (masters < 1) {
            throw new IllegalArgumentException("at least one master is needed, not " + masters);
        }
        this.patienceNanos = patience.toNanos();
        this.failoverPossible = masters > 1;
    }

    /** The policy for calls over {@code channel}: it knows how many masters a {@link MasterChannel} lists. */
    public static MasterRetry forChannel(io.grpc.Channel channel, Duration patience) {
        return new MasterRetry(patience, channel instanceof MasterChannel masters ? masters.size() : 1);
    }

    /**
     * Runs {@code attempt} (one blocking call) until it succeeds, fails in a way that must not be sent
     * again, or the patience ends.
     *
     * @param idempotent whether sending the call twice does no harm
     * @throws StatusRuntimeException the last attempt's failure
     */
    public <T> T call(boolean idempotent, Supplier<T> attempt) {
        long start = System.nanoTime();
        long pauseNanos = FIRST_PAUSE.toNanos();
        while (true) {
            try {
                return attempt.get();
            } catch (StatusRuntimeException e) {
                long pause = jittered(pauseNanos);
                if (!mayRetry(idempotent, e) || System.nanoTime() - start + pause > patienceNanos || !pause(pause)) {
                    throw e;
                }
                pauseNanos = Math.min(pauseNanos * 2, MAX_PAUSE.toNanos());
            }
        }
    }

    /**
     * Runs {@code rpc} (one blocking call of {@code stub}) as {@link #call(boolean, Supplier)} does, each
     * attempt under its own {@code deadline}.
     *
     * @throws io.granary.common.GranaryException the last attempt's failure, mapped by {@link GrpcErrors#fromStatus}
     */
    public <S extends AbstractStub<S>, T> T call(S stub, Duration deadline, boolean idempotent,
                                                  Function<S, T> rpc) {
        try {
            return call(idempotent, () -> rpc.apply(stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)));
        } catch (StatusRuntimeException e) {
            throw GrpcErrors.fromStatus(e);
        }
    }

    /** Whether a call that failed with {@code failure} may be sent again. */
    public boolean mayRetry(boolean idempotent, StatusRuntimeException failure) {
        if (StandbyRefusal.isRefusal(failure.getStatus(), Status.trailersFromThrowable(failure))) {
            return true;
        }
        Status.Code code = failure.getStatus().getCode();
        return idempotent && failoverPossible && (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED);
    }

    private static long jittered(long pauseNanos) {
        return pauseNanos - ThreadLocalRandom.current().nextLong(pauseNanos / 4 + 1);
    }

    /** Sleeps; false when interrupted, with the flag set again. */
    private static boolean pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
