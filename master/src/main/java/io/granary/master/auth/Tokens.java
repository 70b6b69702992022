package io.granary.master.auth;

import io.granary.common.Actor;
import io.granary.common.AccessTokens;
import io.granary.common.GranaryException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens: creation (in the form of {@link AccessTokens}: {@value #PREFIX} and 32 random bytes), listing,
 * revocation and resolution. Only the SHA-256 of a secret is stored, so a copy of Redis gives no
 * usable token; a token is unguessable (256 bits), so a fast unsalted hash is enough. Revocation
 * deletes the hash key, so the next resolution fails. Thread-safe.
 */
public final class Tokens {
    private static final Logger log = LoggerFactory.getLogger(Tokens.class);
    public static final String PREFIX = AccessTokens.PREFIX;
    public static final String ADMIN = "admin";
    public static final Set<String> ROLES = Set.of("reader", "writer", ADMIN);
    /** The name of the token created (or taken from GRANARY_ADMIN_TOKEN) at first start. */
    public static final String FIRST_ADMIN_NAME = "first-admin";
    static final int MAX_NAME_LENGTH = 100;
    /** An operator-chosen admin token must be at least this long to be as hard to guess as ours. */
    static final int MIN_CONFIGURED_TOKEN_LENGTH = 32;
    private static final Pattern TOKEN_SYNTAX = Pattern.compile("[A-Za-z0-9_\\-]{16,256}");
    private static final Pattern PRINTABLE = Pattern.compile("[\\p{Print}&&[^\\p{Cntrl}]]+");

    private final String nodeId;
    private final TokenStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Tokens(String nodeId, TokenStore store, Clock clock) {
        this.nodeId = nodeId;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Creates a token.
     *
     * @param expiresIn lifetime from now; zero for a token that does not expire
     * @throws GranaryException INVALID_ARGUMENT for a bad name, role or lifetime
     */
    public IssuedToken create(String name, String role, Duration expiresIn) {
        return create(name, role, expiresIn, Actor.SYSTEM);
    }

    /**
     * Creates a token, as {@code actor} (for the audit log).
     *
     * @param expiresIn lifetime from now; zero for a token that does not expire
     * @throws GranaryException INVALID_ARGUMENT for a bad name, role or lifetime
     */
    public IssuedToken create(String name, String role, Duration expiresIn, Actor actor) {
        checkName(name);
        checkRole(role);
        if (expiresIn.isNegative()) {
            throw GranaryException.invalid("expiresIn must not be negative, not " + expiresIn.toSeconds() + " s");
        }
        String secret = AccessTokens.newToken();
        return new IssuedToken(save(secret, name, role, expiresIn, actor), secret);
    }

    /** Every token, oldest first. */
    public List<TokenRecord> list() {
        return store.all().stream().sorted(Comparator.comparingLong(TokenRecord::createdMs)
                .thenComparing(TokenRecord::id)).toList();
    }

    /**
     * Deletes a token; its next resolution finds nothing (gateways, which keep a found token at most a
     * second, refuse it within a second).
     *
     * @throws GranaryException NOT_FOUND when no token has this id
     */
    public void revoke(String id) {
        revoke(id, Actor.SYSTEM);
    }

    /**
     * As {@link #revoke(String)}, as {@code actor} (for the audit log).
     *
     * @throws GranaryException NOT_FOUND when no token has this id
     */
    public void revoke(String id, Actor actor) {
        if (!store.delete(id, actor)) {
            throw GranaryException.notFound("no token with id '" + id + "'");
        }
        log.info("{}: revoked token {}", nodeId, id);
    }

    /** The live token whose secret hashes to {@code sha256}; empty when unknown, revoked or expired. */
    public Optional<TokenRecord> resolve(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        return store.findByHash(sha256).filter(t -> !t.expiredAt(clock.millis()));
    }

    /**
     * Checks an admin token an operator chose: {@value #MIN_CONFIGURED_TOKEN_LENGTH} to 256 characters of
     * A-Z, a-z, 0-9, '-' and '_', so that it is as hard to guess as one Granary makes. "" (none) passes.
     *
     * @throws IllegalArgumentException saying so, when it is not
     */
    public static void checkConfiguredAdmin(String configured) {
        if (configured != null && !configured.isEmpty()
                && (configured.length() < MIN_CONFIGURED_TOKEN_LENGTH || !TOKEN_SYNTAX.matcher(configured).matches())) {
            throw new IllegalArgumentException("the admin token must be " + MIN_CONFIGURED_TOKEN_LENGTH
                    + " to 256 characters of A-Z, a-z, 0-9, '-' and '_'");
        }
    }

    /**
     * Makes sure an admin can get in. With {@code configured} (GRANARY_ADMIN_TOKEN), that token exists
     * as an admin token; without, a token is generated only when no live admin token exists.
     *
     * @return the secret when one was generated now (to be shown once), else empty
     * @throws IllegalArgumentException when the configured token is too short or malformed
     */
    public Optional<String> ensureAdmin(String configured) {
        if (configured != null && !configured.isEmpty()) {
            checkConfiguredAdmin(configured);
            Optional<TokenRecord> existing = store.findByHash(sha256(configured));
            if (existing.isEmpty() || !existing.get().role().equals(ADMIN) || existing.get().expiredAt(clock.millis())) {
                existing.ifPresent(t -> store.delete(t.id(), Actor.SYSTEM));
                save(configured, FIRST_ADMIN_NAME, ADMIN, Duration.ZERO, Actor.SYSTEM);
                log.info("{}: the configured admin token is registered", nodeId);
            }
            return Optional.empty();
        }
        long now = clock.millis();
        if (store.all().stream().anyMatch(t -> t.role().equals(ADMIN) && !t.expiredAt(now))) {
            return Optional.empty();
        }
        return Optional.of(create(FIRST_ADMIN_NAME, ADMIN, Duration.ZERO).secret());
    }

    private TokenRecord save(String secret, String name, String role, Duration expiresIn, Actor actor) {
        long now = clock.millis();
        TokenRecord record = new TokenRecord("tok_" + HexFormat.of().formatHex(randomBytes(8)), name, role, now,
                expiresIn.isZero() ? 0 : now + expiresIn.toMillis());
        store.save(sha256(secret), record, actor);
        log.info("{}: created token {} '{}' with role {}", nodeId, record.id(), name, role);
        return record;
    }

    /** Lower-case hex SHA-256 of a token's UTF-8 bytes: the only form in which tokens are stored. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH || !PRINTABLE.matcher(name).matches()) {
            throw GranaryException.invalid("a token's name must be 1 to " + MAX_NAME_LENGTH + " printable characters");
        }
    }

    private static void checkRole(String role) {
        if (!ROLES.contains(role)) {
            throw GranaryException.invalid("role must be reader, writer or admin, not '" + role + "'");
        }
    }
}
