package io.granary.common.grpc;

import io.granary.common.ChunkHandle;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Chunk access tickets: what lets a caller without the cluster secret (a client holding only a
 * token) read or write one chunk on a chunkserver. The master, having checked the token's role, signs
 * a ticket for one handle, one mode (read, or write forwarding to exactly the downstream chunkservers it
 * chose) and a lifetime; a chunkserver
 * checks it against the request it comes with. The key is derived from the cluster secret, which the
 * master and every chunkserver share and no token holder has, so a ticket cannot be forged, moved to
 * another handle or stretched to another chain (a chunkserver forwards a write, with the cluster
 * secret, only down the chain the master chose). A ticket is {@code expiresMs.base64url(HMAC-SHA256)}.
 * Immutable and thread-safe.
 */
public final class ChunkAccess {
    /**
     * How long a ticket serves: longer than a chunk write may take ({@code ClientOptions}' chunk
     * deadline, one hour) and than a program keeps a file open to read, short enough that a revoked
     * token's tickets, for chunks it was allowed to touch, die soon after.
     */
    public static final Duration LIFETIME = Duration.ofHours(2);
    private static final String ALGORITHM = "HmacSHA256";
    /** Separates these keys from any other use of the cluster secret. */
    private static final String KEY_LABEL = "granary chunk access v1";

    /** What a ticket allows on its chunk. */
    public enum Mode { READ, WRITE }

    private final SecretKeySpec key;
    private final Clock clock;

    private ChunkAccess(SecretKeySpec key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /** Tickets keyed by {@code secret}'s derived key; {@code clock} tells expiry. */
    public static ChunkAccess of(ClusterSecret secret, Clock clock) {
        byte[] derived = hmac(new SecretKeySpec(secret.value().getBytes(StandardCharsets.UTF_8), ALGORITHM),
                KEY_LABEL);
        return new ChunkAccess(new SecretKeySpec(derived, ALGORITHM), clock);
    }

    /** A ticket to read chunk {@code handle}, valid for {@link #LIFETIME}. */
    public String read(long handle) {
        return sign(Mode.READ, handle, List.of());
    }

    /** A ticket to write chunk {@code handle}, forwarded to exactly {@code downstream} (addresses, in order). */
    public String write(long handle, List<String> downstream) {
        return sign(Mode.WRITE, handle, downstream);
    }

    /**
     * Whether {@code ticket} allows {@code mode} on {@code handle} now; for a write, forwarded to
     * {@code chain}: the downstream addresses the header names, in order.
     */
    public boolean allows(String ticket, Mode mode, long handle, List<String> chain) {
        OptionalLong expires = expiresMs(ticket);
        if (expires.isEmpty() || clock.millis() >= expires.getAsLong()) {
            return false;
        }
        long expiresMs = expires.getAsLong();
        int dot = ticket.indexOf('.');
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(ticket.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(given, hmac(key, text(mode, handle, expiresMs, chain)));
    }

    /**
     * When {@code ticket} expires, on the clock of the master that signed it (milliseconds since the
     * epoch); empty for no ticket or one not of this form. Says nothing of whether it is genuine.
     */
    public static OptionalLong expiresMs(String ticket) {
        int dot = ticket == null ? -1 : ticket.indexOf('.');
        if (dot < 1) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(ticket.substring(0, dot)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * What a chunkserver answers a caller without the secret whose {@code ticket} does not allow its
     * call: UNAUTHENTICATED when it showed none (it showed no credential at all, as a call without the
     * secret elsewhere), PERMISSION_DENIED when its ticket is for something else or expired.
     */
    public static GranaryException refusal(long handle, String ticket) {
        if (ticket == null || ticket.isEmpty()) {
            return new GranaryException(ErrorKind.UNAUTHENTICATED, "missing cluster secret: calls to a "
                    + "chunkserver must carry metadata " + ClusterSecretInterceptors.HEADER + ", or, from a client "
                    + "holding a token, the master's chunk access ticket for chunk " + new ChunkHandle(handle));
        }
        return new GranaryException(ErrorKind.PERMISSION_DENIED, "the chunk access ticket does not allow this "
                + "call on chunk " + new ChunkHandle(handle) + ": it is expired, or the master signed it for "
                + "another chunk or, to write, another chain");
    }

    private String sign(Mode mode, long handle, List<String> chain) {
        long expiresMs = clock.millis() + LIFETIME.toMillis();
        return expiresMs + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(hmac(key, text(mode, handle, expiresMs, chain)));
    }

    /** What is signed: every part on its own line, so no two tickets' texts can be the same. */
    private static String text(Mode mode, long handle, long expiresMs, List<String> chain) {
        return mode + "\n" + Long.toUnsignedString(handle, 16) + "\n" + expiresMs + "\n"
                + (mode == Mode.WRITE ? String.join("\n", chain) : "");
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has " + ALGORITHM, e);
        }
    }
}
