package io.granary.common;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The form of an API token: {@value #PREFIX} and {@value #SECRET_BYTES} random bytes in URL-safe
 * base64, unguessable (256 bits). The master makes them; {@code local}, the benchmark and tests make
 * admin tokens of the same form to configure a cluster with. Thread-safe.
 */
public final class AccessTokens {
    public static final String PREFIX = "gr_";
    public static final int SECRET_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AccessTokens() {
    }

    /** A new random token. */
    public static String newToken() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
