package io.granary.gateway.s3.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The hashing and HMAC primitives SigV4 is built from. */
final class SigV4Crypto {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final HexFormat HEX = HexFormat.of();
    /** The hex SHA-256 of no bytes, which stands in the chunk string-to-sign for the chunk headers. */
    static final String EMPTY_SHA256 = HEX.formatHex(sha256().digest());

    private SigV4Crypto() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String sha256Hex(String text) {
        return HEX.formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    /** {@code kSigning}: the secret folded through the scope's date, region, service and terminator. */
    static byte[] signingKey(String secretKey, CredentialScope scope) {
        byte[] key = ("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8);
        key = hmac(key, scope.value().substring(0, 8));
        key = hmac(key, scope.region());
        key = hmac(key, scope.service());
        return hmac(key, CredentialScope.TERMINATOR);
    }

    /** The hex signature of {@code stringToSign}. */
    static String sign(byte[] signingKey, String stringToSign) {
        return HEX.formatHex(hmac(signingKey, stringToSign));
    }

    /** Whether two signatures are equal, in time that does not depend on where they differ. */
    static boolean sameSignature(String expected, String claimed) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                claimed.getBytes(StandardCharsets.US_ASCII));
    }
}
