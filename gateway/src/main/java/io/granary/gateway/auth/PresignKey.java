package io.granary.gateway.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * One HMAC-SHA256 key for presigned URLs, named by an id that travels in the URL
 * ({@code X-Granary-KeyId}) so that a rotated key can still be recognised. Written
 * {@code <id>:<base64 secret>}, e.g. {@code k2026:3q2+7w...}; the secret is at least
 * {@value #MIN_SECRET_BYTES} bytes (standard or URL-safe base64).
 *
 * @param id     1 to 32 characters of {@code [A-Za-z0-9_-]}
 * @param secret the HMAC key; never logged
 */
public record PresignKey(String id, byte[] secret) {
    public static final int MIN_SECRET_BYTES = 32;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    public PresignKey {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a presign key id is 1 to 32 of A-Z a-z 0-9 _ -, not '" + id + "'");
        }
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("presign key '" + id + "' needs a secret of at least "
                    + MIN_SECRET_BYTES + " bytes");
        }
        secret = secret.clone();
    }

    /**
     * Parses {@code id:base64secret}.
     *
     * @throws IllegalArgumentException saying what is wrong, without echoing the secret
     */
    public static PresignKey parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("a presign key is written <id>:<base64 secret>, e.g. "
                    + "k1:$(openssl rand -base64 32)");
        }
        String id = text.substring(0, colon).trim();
        String encoded = text.substring(colon + 1).trim();
        byte[] secret;
        try {
            secret = encoded.contains("-") || encoded.contains("_")
                    ? Base64.getUrlDecoder().decode(encoded)
                    : Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the secret of presign key '" + id + "' is not valid base64");
        }
        return new PresignKey(id, secret);
    }

    /** A fresh random key with the given id. */
    public static PresignKey generate(String id) {
        byte[] secret = new byte[MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return new PresignKey(id, secret);
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** The {@code id:base64} form that {@link #parse} reads; it contains the secret. */
    public String encoded() {
        return id + ":" + Base64.getEncoder().encodeToString(secret);
    }

    /** Names the key only: the secret never reaches a log. */
    @Override
    public String toString() {
        return "PresignKey[" + id + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PresignKey key && key.id.equals(id)
                && java.security.MessageDigest.isEqual(key.secret, secret);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
