package io.granary.master.ha;

import io.granary.common.GranaryException;
import io.granary.common.MonotonicClock;
import io.granary.common.NotActiveException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this master's role in step with the lease, run every {@link #period(Duration)}: a standby
 * tries to take the lease and becomes active when it does; an active master renews it, and steps
 * down as soon as it learns that it lost it: the renewal is refused, Redis refused a change as
 * superseded ({@link #superseded}), or the lease may have lapsed because no renewal got through
 * before its end (measured from when the last successful renewal was sent, so a late answer cannot
 * stretch it).
 *
 * <p>Stepping down is only for this master's own sake (its tasks stop, its services refuse calls):
 * safety does not depend on it, since Redis refuses every change carrying a superseded epoch.
 * {@link #run()} runs on one thread and never throws; the other methods are thread-safe.
 */
public final class LeaseTask implements Runnable, Fence {
    private static final Logger log = LoggerFactory.getLogger(LeaseTask.class);
    /** Renewals (and a standby's attempts) per lease time to live. */
    static final int CHECKS_PER_TTL = 4;

    /** What the master does as its role changes. Called on the task's thread. */
    public interface Role {
        /** This master now holds the lease at {@code epoch}: start serving as after a restart. */
        void activate(long epoch);

        /** This master lost the lease: stop its tasks and refuse calls. */
        void stepDown(String why);
    }

    private final String masterId;
    private final String address;
    private final LeaseStore store;
    private final Duration ttl;
    private final Role role;
    private final MonotonicClock ticks;
    /** The epoch held; 0 while standby. Written by the task's thread only. */
    private volatile long epoch;
    /** An epoch that Redis refused as superseded, for the task's thread to act on. */
    private volatile long supersededEpoch;
    /** Until when (on {@link #ticks}) the lease is surely still ours. */
    private long validUntil;
    private volatile String lastHolder;
    /** Why the last attempt to take the lease failed, so that a lasting cause is logged once. */
    private String lastFailure;

    /**
     * @param address this master's advertised {@code host:port}: its identity as a lease holder, and
     *     where standbys send clients
     */
    public LeaseTask(String masterId, String address, LeaseStore store, Duration ttl, Role role,
                     MonotonicClock ticks) {
        this.masterId = masterId;
        this.address = address;
        this.store = store;
        this.ttl = ttl;
        this.role = role;
        this.ticks = ticks;
    }

    /** How often to run the task for a lease of {@code ttl}. */
    public static Duration period(Duration ttl) {
        return ttl.dividedBy(CHECKS_PER_TTL);
    }

    @Override
    public void run() {
        try {
            if (epoch == 0) {
                tryAcquire();
            } else {
                renew();
            }
        } catch (RuntimeException | Error e) {
            log.warn("{}: lease check failed, retrying next round: {}", masterId, e.toString());
        }
    }

    private void tryAcquire() {
        long sentAt = ticks.millis();
        LeaseStore.Attempt attempt;
        try {
            attempt = store.acquire(address, ttl);
        } catch (GranaryException e) {
            if (!e.getMessage().equals(lastFailure)) {
                log.warn("{}: cannot take the lease, trying again every {} ms: {}", masterId,
                        period(ttl).toMillis(), e.getMessage());
            }
            lastFailure = e.getMessage();
            return;
        }
        lastFailure = null;
        lastHolder = attempt.holder().orElse(null);
        if (!attempt.acquired()) {
            return;
        }
        validUntil = sentAt + ttl.toMillis();
        epoch = attempt.epoch();
        log.info("{}: took the master lease at epoch {}; becoming active", masterId, epoch);
        try {
            role.activate(epoch);
        } catch (RuntimeException | Error e) {
            stepDown("activation failed: " + e);
            throw e;
        }
    }

    private void renew() {
        long held = epoch;
        if (supersededEpoch == held) {
            stepDown("Redis refused a change of epoch " + held + " as superseded");
            return;
        }
        long sentAt = ticks.millis();
        boolean renewed;
        try {
            renewed = store.renew(address, held, ttl);
        } catch (GranaryException e) {
            if (ticks.millis() >= validUntil) {
                stepDown("no renewal got through before the lease ended (" + e.getMessage() + ")");
            } else {
                log.warn("{}: could not renew the lease, {} ms left: {}", masterId, validUntil - ticks.millis(),
                        e.getMessage());
            }
            return;
        }
        if (renewed) {
            validUntil = sentAt + ttl.toMillis();
        } else {
            stepDown("another master holds the lease");
        }
    }

    private void stepDown(String why) {
        long held = epoch;
        lastHolder = currentHolder().orElse(null);
        epoch = 0;
        log.warn("{}: stepping down from epoch {}: {}", masterId, held, why);
        role.stepDown(why);
    }

    /** Who holds the lease now, so that refusals name it at once; empty when Redis does not say. */
    private Optional<String> currentHolder() {
        try {
            return store.holder().filter(holder -> !holder.equals(address));
        } catch (GranaryException e) {
            return Optional.empty();
        }
    }

    /** Gives the lease up if held, so that a standby takes over at once. Call after {@link Role#stepDown}. */
    public void release() {
        long held = epoch;
        if (held != 0) {
            epoch = 0;
            store.release(address, held);
            log.info("{}: released the master lease of epoch {}", masterId, held);
        }
    }

    /** Whether this master holds the lease (as far as it knows). */
    public boolean active() {
        return epoch != 0;
    }

    /** The active master's advertised address, as last seen; this master's own while it is active. */
    public Optional<String> activeMaster() {
        return active() ? Optional.of(address) : Optional.ofNullable(lastHolder);
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public NotActiveException superseded(long refused, String detail) {
        supersededEpoch = refused;
        return new NotActiveException(masterId, Optional.empty(),
                "master " + masterId + " is no longer the active master: " + detail);
    }
}
