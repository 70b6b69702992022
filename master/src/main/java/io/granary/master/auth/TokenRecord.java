package io.granary.master.auth;

/**
 * A token as the master keeps it: everything but the secret, which is never stored.
 *
 * @param id        stable id ({@code tok_} and 16 hex digits): the principal id owning files
 * @param name      what an admin called it
 * @param role      {@code reader}, {@code writer} or {@code admin}
 * @param createdMs creation time, milliseconds since the epoch
 * @param expiresMs expiry time, milliseconds since the epoch; 0 when it does not expire
 */
public record TokenRecord(String id, String name, String role, long createdMs, long expiresMs) {

    public boolean expiredAt(long nowMs) {
        return expiresMs != 0 && nowMs >= expiresMs;
    }
}
