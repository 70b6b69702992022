package io.granary.client;

import java.time.Instant;
import java.util.Optional;

/**
 * An API token as the master describes it, without its secret.
 *
 * @param id      principal id, recorded as the owner of the files the token writes
 * @param name    what an admin called it
 * @param role    {@code reader}, {@code writer} or {@code admin}
 * @param created creation time
 * @param expires expiry time; empty for a token that does not expire
 */
public record TokenMeta(String id, String name, String role, Instant created, Optional<Instant> expires) {
}
