package io.granary.common;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The form of an S3 credential, the one definition every module uses: an access key id (public, sent
 * in every signed request) and a secret key (the HMAC key of AWS Signature V4). Generated ones look
 * like AWS's: an access key id is {@value #ACCESS_KEY_PREFIX} and 18 characters of {@code A-Z0-9}
 * (20 in all), a secret 40 characters of {@code A-Za-z0-9/+} (about 238 bits), both from
 * {@link SecureRandom}. Chosen ones (an operator's {@code GRANARY_S3_ACCESS_KEY}) must be 16 to 128
 * characters of {@code A-Za-z0-9} for the id, 16 to 128 printable ASCII characters without spaces for
 * the secret. Thread-safe.
 */
public final class S3AccessKeys {
    public static final String ACCESS_KEY_PREFIX = "GK";
    public static final int ACCESS_KEY_LENGTH = 20;
    public static final int SECRET_KEY_LENGTH = 40;
    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 128;
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";
    private static final Pattern ACCESS_KEY_SYNTAX = Pattern.compile("[A-Za-z0-9]{" + MIN_LENGTH + "," + MAX_LENGTH + "}");
    private static final Pattern SECRET_KEY_SYNTAX = Pattern.compile("[\\x21-\\x7e]{" + MIN_LENGTH + "," + MAX_LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private S3AccessKeys() {
    }

    /** A new random access key id: {@value #ACCESS_KEY_PREFIX} and 18 characters of {@code A-Z0-9}. */
    public static String newAccessKeyId() {
        return ACCESS_KEY_PREFIX + random(ID_ALPHABET, ACCESS_KEY_LENGTH - ACCESS_KEY_PREFIX.length());
    }

    /** A new random secret key: 40 characters of {@code A-Za-z0-9/+}. */
    public static String newSecretKey() {
        return random(SECRET_ALPHABET, SECRET_KEY_LENGTH);
    }

    /** True when {@code text} has the form of an access key id (a generated or a chosen one). */
    public static boolean isAccessKeyId(String text) {
        return text != null && ACCESS_KEY_SYNTAX.matcher(text).matches();
    }

    /**
     * Refuses an access key id that is not 16 to 128 characters of {@code A-Za-z0-9}.
     *
     * @throws GranaryException INVALID_ARGUMENT, without echoing more than the id itself (which is public)
     */
    public static void checkAccessKeyId(String accessKeyId) {
        if (!isAccessKeyId(accessKeyId)) {
            throw GranaryException.invalid("an S3 access key id must be " + MIN_LENGTH + " to " + MAX_LENGTH
                    + " characters of A-Z, a-z and 0-9");
        }
    }

    /**
     * Refuses a secret key that is not 16 to 128 printable ASCII characters without spaces.
     *
     * @throws GranaryException INVALID_ARGUMENT; the message never shows the secret
     */
    public static void checkSecretKey(String secretKey) {
        if (secretKey == null || !SECRET_KEY_SYNTAX.matcher(secretKey).matches()) {
            throw GranaryException.invalid("an S3 secret key must be " + MIN_LENGTH + " to " + MAX_LENGTH
                    + " printable ASCII characters without spaces");
        }
    }

    private static String random(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
