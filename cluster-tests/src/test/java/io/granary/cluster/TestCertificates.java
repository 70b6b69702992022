package io.granary.cluster;

import io.granary.master.testing.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test, and certificates it signs for 127.0.0.1 and localhost,
 * written as PEM files the way an operator would have them (certificate, PKCS#8 key, CA).
 */
final class TestCertificates {
    /** A certificate and its key, as PEM files. */
    record Issued(Path cert, Path key) {
    }

    private static final Duration VALIDITY = Duration.ofDays(1);
    private static final AtomicLong SERIALS = new AtomicLong(1);

    private final Path dir;
    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate caCert;
    private final Path caFile;

    private TestCertificates(Path dir, String name) throws GeneralSecurityException, IOException {
        this.dir = Files.createDirectories(dir);
        this.name = name;
        this.caKeys = rsa();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder builder = builder(subject, caKeys, subject)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        this.caCert = sign(builder, caKeys);
        this.caFile = writePem(dir.resolve(name + ".pem"), "CERTIFICATE", caCert.getEncoded());
    }

    /** A new CA whose files live in {@code dir}. */
    static TestCertificates authority(Path dir, String name) {
        try {
            return new TestCertificates(dir, name);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a test CA", e);
        }
    }

    /**
     * A new CA whose files live in a temporary directory of its own, deleted when the JVM exits: for
     * certificates a cluster must have before any {@code @TempDir} of the test exists.
     */
    static TestCertificates authority(String name) {
        try {
            Path dir = Files.createTempDirectory("granary-test-pki-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir), "delete-" + dir.getFileName()));
            return authority(dir, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CA's certificate (PEM). */
    Path ca() {
        return caFile;
    }

    /** A certificate for a server and client named {@code cn}, valid for 127.0.0.1 and localhost. */
    Issued issue(String cn) {
        try {
            KeyPair keys = rsa();
            X509v3CertificateBuilder builder = builder(new X500Name("CN=" + name), keys, new X500Name("CN=" + cn))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.dNSName, "localhost")}));
            X509Certificate cert = sign(builder, caKeys);
            return new Issued(writePem(dir.resolve(cn + ".pem"), "CERTIFICATE", cert.getEncoded()),
                    writePem(dir.resolve(cn + ".key"), "PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    /** An SSL context that trusts this CA only, for HTTPS clients. */
    SSLContext trustingSslContext() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", caCert);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, KeyPair subjectKeys, X500Name subject) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.getAndIncrement()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject,
                subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static void deleteRecursively(Path root) {
        try {
            TempDirs.deleteTree(root);
        } catch (UncheckedIOException e) {
            // a leftover temporary directory is no reason to fail the JVM's exit
        }
    }

    private static Path writePem(Path file, String type, byte[] der) {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        try {
            return Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
