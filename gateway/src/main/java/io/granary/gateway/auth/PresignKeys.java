package io.granary.gateway.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * The keys a gateway signs and verifies presigned URLs with. New URLs are always signed with
 * {@code current}; URLs signed with {@code previous} are still accepted until {@code previousUntil},
 * which is how a key rotates without breaking the links already handed out.
 *
 * @param current       signs new URLs and verifies them; null when presigning is off
 * @param previous      the retired key, or null
 * @param previousUntil until when {@code previous} verifies; required with it
 */
public record PresignKeys(PresignKey current, PresignKey previous, Instant previousUntil) {
    public static final PresignKeys NONE = new PresignKeys(null, null, null);

    public PresignKeys {
        if (previous != null && current == null) {
            throw new IllegalArgumentException("a previous presign key needs a current one");
        }
        if (previous != null && previousUntil == null) {
            throw new IllegalArgumentException("a previous presign key needs --presign-previous-until "
                    + "(an ISO-8601 instant such as 2026-12-31T00:00:00Z)");
        }
        if (previous != null && previous.id().equals(current.id())) {
            throw new IllegalArgumentException("the previous presign key must have another id than the current one ('"
                    + current.id() + "')");
        }
    }

    /** Only a current key. */
    public static PresignKeys of(PresignKey current) {
        return new PresignKeys(current, null, null);
    }

    /** Whether presigned URLs can be made here. */
    public boolean enabled() {
        return current != null;
    }

    /** The key named {@code id} if it verifies at {@code now}. */
    Optional<PresignKey> verifying(String id, Instant now) {
        if (current != null && current.id().equals(id)) {
            return Optional.of(current);
        }
        if (previous != null && previous.id().equals(id) && now.isBefore(previousUntil)) {
            return Optional.of(previous);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return enabled() ? "current " + current.id() + (previous == null ? ""
                : ", previous " + previous.id() + " until " + previousUntil) : "none";
    }
}
