package io.granary.master.access;

import io.granary.common.Actor;
import io.granary.common.GranaryPath;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where grants are kept (Redis, keys in {@code docs/redis-schema.md}). Every method blocks on one or
 * a few round trips and is thread-safe; failures are {@link io.granary.common.GranaryException}s
 * (UNAVAILABLE when the store does not answer).
 */
public interface GrantStore {

    /**
     * Stores a new grant, with its entry in the audit log as made by {@code actor}; the store forgets it
     * by itself at its expiry.
     */
    void put(Grant grant, Actor actor);

    /** The grant with this id, unless it is gone (revoked, or expired and cleaned up). */
    Optional<Grant> get(String id);

    /** Grants on any of {@code paths} (exact paths, not subtrees); may include expired ones. */
    List<Grant> onPaths(Collection<GranaryPath> paths);

    /** Grants expiring after {@code nowMs}, soonest first. */
    List<Grant> live(long nowMs);

    /**
     * Removes a grant and its index entries, with its entry in the audit log as revoked by
     * {@code actor} (none when it is null: an expired grant cleaned up); false, and no entry, when it
     * was not there. Idempotent.
     */
    boolean remove(String id, Actor actor);

    /** Ids of grants whose expiry is at or before {@code nowMs}, at most {@code limit}. */
    List<String> expired(long nowMs, int limit);
}
