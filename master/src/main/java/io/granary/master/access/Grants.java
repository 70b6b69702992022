package io.granary.master.access;

import io.granary.common.Actor;
import io.granary.common.GranaryException;
import io.granary.common.GranaryPath;
import io.granary.common.net.Cidr;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IP grants: creating, listing, revoking, matching a read against them, and dropping expired ones.
 * A grant stops working at its expiry by the master's clock, whether or not the cleanup has run yet.
 * Knows nothing of gRPC. Thread-safe.
 */
public final class Grants {
    private static final Logger log = LoggerFactory.getLogger(Grants.class);
    public static final Duration MAX_LIFETIME = Duration.ofDays(366);
    /** Expired grants dropped per cleanup round; the next round takes the rest. */
    static final int CLEANUP_BATCH = 1000;

    private final String nodeId;
    private final GrantStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Grants(String nodeId, GrantStore store, Clock clock) {
        this.nodeId = nodeId;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Makes a grant.
     *
     * @throws GranaryException INVALID_ARGUMENT for a bad path, address block or lifetime
     */
    public Grant create(String path, String cidr, Duration lifetime, String creator) {
        return create(path, cidr, lifetime, creator == null || creator.isEmpty() ? Actor.SYSTEM : new Actor(creator, true));
    }

    /**
     * Makes a grant as {@code actor}, its creator.
     *
     * @throws GranaryException INVALID_ARGUMENT for a bad path, address block or lifetime
     */
    public Grant create(String path, String cidr, Duration lifetime, Actor actor) {
        GranaryPath granted = GranaryPath.of(path);
        Cidr block;
        try {
            block = Cidr.parse(cidr);
        } catch (IllegalArgumentException e) {
            throw GranaryException.invalid("cidr: " + e.getMessage());
        }
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw GranaryException.invalid("expiresIn must be between 1 second and " + MAX_LIFETIME.toDays()
                    + " days, not " + lifetime.toSeconds() + " seconds");
        }
        long now = clock.millis();
        Grant grant = new Grant(newId(), granted, block, now, now + lifetime.toMillis(), actor.id());
        store.put(grant, actor);
        log.info("{}: grant {} lets {} read {} until {} (by {})", nodeId, grant.id(), block, granted,
                java.time.Instant.ofEpochMilli(grant.expiresMs()), grant.creator());
        return grant;
    }

    /** Live grants, soonest expiry first. */
    public List<Grant> list() {
        return store.live(clock.millis());
    }

    /**
     * Revokes a grant at once.
     *
     * @throws GranaryException NOT_FOUND when no live grant has this id
     */
    public void revoke(String id) {
        revoke(id, Actor.SYSTEM);
    }

    /**
     * Revokes a grant at once, as {@code actor}.
     *
     * @throws GranaryException NOT_FOUND when no live grant has this id
     */
    public void revoke(String id, Actor actor) {
        Optional<Grant> grant = id == null || !id.matches("[0-9a-f]{32}") ? Optional.empty() : store.get(id);
        if (grant.isEmpty() || grant.get().expiresMs() <= clock.millis()) {
            throw new GranaryException(io.granary.common.ErrorKind.NOT_FOUND, "no grant with id '" + id + "'");
        }
        store.remove(id, actor);
        log.info("{}: grant {} revoked", nodeId, id);
    }

    /**
     * The first live grant that lets {@code address} read {@code file}: one on the file itself or on
     * any directory above it.
     *
     * @throws GranaryException INVALID_ARGUMENT for a bad path or address
     */
    public Optional<Grant> match(String file, String address) {
        GranaryPath path = GranaryPath.of(file);
        InetAddress client;
        try {
            client = Cidr.address(address);
        } catch (IllegalArgumentException e) {
            throw GranaryException.invalid("address: " + e.getMessage());
        }
        long now = clock.millis();
        return store.onPaths(selfAndAncestors(path)).stream()
                .filter(grant -> grant.allows(path, client, now))
                .findFirst();
    }

    /** Drops grants past their expiry; returns how many. */
    public int purgeExpired() {
        List<String> expired = store.expired(clock.millis(), CLEANUP_BATCH);
        expired.forEach(id -> store.remove(id, null));
        if (!expired.isEmpty()) {
            log.debug("{}: dropped {} expired grant(s)", nodeId, expired.size());
        }
        return expired.size();
    }

    static List<GranaryPath> selfAndAncestors(GranaryPath path) {
        List<GranaryPath> paths = new ArrayList<>();
        for (GranaryPath p = path; !p.isRoot(); p = p.parent()) {
            paths.add(p);
        }
        paths.add(GranaryPath.ROOT);
        return paths;
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
