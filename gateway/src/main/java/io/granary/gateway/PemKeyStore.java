package io.granary.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory {@link KeyStore} from a PEM certificate chain and a PEM (PKCS#8) private key, because
 * Jetty takes a key store while operators have PEM files (from cert-manager, Let's Encrypt, openssl).
 */
final class PemKeyStore {
    static final String ALIAS = "granary";
    /** The store lives only in memory; its password protects nothing and only satisfies the API. */
    static final char[] PASSWORD = "in-memory".toCharArray();
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private PemKeyStore() {
    }

    /**
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static KeyStore load(Path certFile, Path keyFile) {
        try {
            PrivateKey key = privateKey(keyFile);
            Certificate[] chain = certificates(certFile);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, PASSWORD, chain);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load the HTTPS certificate " + certFile + " and key " + keyFile
                    + ": " + e.getMessage(), e);
        }
    }

    private static Certificate[] certificates(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        var found = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        if (found.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no PEM certificate");
        }
        return found.toArray(new Certificate[0]);
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IllegalArgumentException(file + " holds no PEM block");
        }
        if (!m.group(1).equals("PRIVATE KEY")) {
            throw new IllegalArgumentException(file + " holds a '" + m.group(1) + "'; a PKCS#8 'PRIVATE KEY' is "
                    + "needed (convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(2)));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next one
            }
        }
        throw new IllegalArgumentException(file + " holds a private key of none of " + KEY_ALGORITHMS);
    }
}
