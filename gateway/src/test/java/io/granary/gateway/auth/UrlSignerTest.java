package io.granary.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.common.GranaryPath;
import io.granary.common.net.Cidr;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlSignerTest {
    private static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");
    private static final PresignKey K1 = PresignKey.generate("k1");
    private static final PresignKey K2 = PresignKey.generate("k2");
    private static final GranaryPath PATH = GranaryPath.of("videos/cat.mp4");
    private static final InetAddress HOME = Cidr.address("127.0.0.1");

    private final UrlSigner signer = signer(PresignKeys.of(K1), NOW);

    @Test
    void aSignedUrlVerifiesForItsMethodPathAndHead() {
        Map<String, String> url = signer.sign(UrlSigner.Method.GET, PATH, NOW.plusSeconds(60), null, null, UrlSigner.Scope.NONE).params();
        assertThatCode(() -> signer.verify("GET", PATH, url::get, HOME)).doesNotThrowAnyException();
        assertThatCode(() -> signer.verify("HEAD", PATH, url::get, HOME)).doesNotThrowAnyException();
        assertThat(url).containsOnlyKeys(UrlSigner.EXPIRES, UrlSigner.KEY_ID, UrlSigner.SIGNATURE);
    }

    @Test
    void refusesAnExpiredUrlSayingWhen() {
        Map<String, String> url = signer.sign(UrlSigner.Method.GET, PATH, NOW.plusSeconds(60), null, null, UrlSigner.Scope.NONE).params();
        UrlSigner later = signer(PresignKeys.of(K1), NOW.plusSeconds(60));
        assertThatThrownBy(() -> later.verify("GET", PATH, url::get, HOME))
                .isInstanceOfSatisfying(PresignRefused.class, e -> assertThat(e.expired()).isTrue())
                .hasMessage("presigned URL expired at 2026-12-02T00:01:00Z");
    }

    @Test
    void refusesEveryTamperedPart() {
        Map<String, String> url = signer.sign(UrlSigner.Method.GET, PATH, NOW.plusSeconds(60), "127.0.0.1", null, UrlSigner.Scope.NONE).params();
        assertMismatch(url, GranaryPath.of("videos/dog.mp4"));
        assertMismatch(with(url, UrlSigner.EXPIRES, Long.toString(NOW.plusSeconds(3600).getEpochSecond())), PATH);
        assertMismatch(with(url, UrlSigner.EXPIRES, "soon"), PATH);
        assertMismatch(with(url, UrlSigner.IP, "127.0.0.2"), PATH);
        assertMismatch(with(url, UrlSigner.IP, null), PATH);
        assertMismatch(with(url, UrlSigner.KEY_ID, "k2"), PATH);
        String signature = url.get(UrlSigner.SIGNATURE);
        char flipped = signature.charAt(3) == 'A' ? 'B' : 'A';
        assertMismatch(with(url, UrlSigner.SIGNATURE, signature.substring(0, 3) + flipped + signature.substring(4)), PATH);
        assertMismatch(with(url, UrlSigner.SIGNATURE, "not base64 !"), PATH);
    }

    @Test
    void theSignerOfAPutIsSignedToo() {
        Map<String, String> put = signer.sign(UrlSigner.Method.PUT, PATH, NOW.plusSeconds(60), null, "tok_1", UrlSigner.Scope.NONE).params();
        assertThat(signer.verify("PUT", PATH, put::get, HOME)).isEqualTo("tok_1");
        assertMismatch(with(put, UrlSigner.OWNER, "tok_2"), PATH, "PUT");
        assertMismatch(with(put, UrlSigner.OWNER, null), PATH, "PUT");
        assertMismatch(with(put, UrlSigner.OWNER, "tok\n1"), PATH, "PUT");
    }

    @Test
    void refusesAnotherMethodNamingTheSignedOne() {
        Map<String, String> get = signer.sign(UrlSigner.Method.GET, PATH, NOW.plusSeconds(60), null, null, UrlSigner.Scope.NONE).params();
        assertThatThrownBy(() -> signer.verify("PUT", PATH, get::get, HOME)).hasMessage("presigned URL is for GET, not PUT");
        assertThatThrownBy(() -> signer.verify("DELETE", PATH, get::get, HOME))
                .hasMessage("presigned URL is for GET, not DELETE");
        Map<String, String> put = signer.sign(UrlSigner.Method.PUT, PATH, NOW.plusSeconds(60), null, null, UrlSigner.Scope.NONE).params();
        assertThatThrownBy(() -> signer.verify("GET", PATH, put::get, HOME)).hasMessage("presigned URL is for PUT, not GET");
        assertThatCode(() -> signer.verify("POST", PATH, put::get, HOME)).doesNotThrowAnyException();
    }

    @Test
    void aBoundUrlServesOnlyItsAddress() {
        Map<String, String> url = signer.sign(UrlSigner.Method.GET, PATH, NOW.plusSeconds(60), "::1", null, UrlSigner.Scope.NONE).params();
        assertThatCode(() -> signer.verify("GET", PATH, url::get, Cidr.address("0:0:0:0:0:0:0:1"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> signer.verify("GET", PATH, url::get, HOME))
                .hasMessage("presigned URL is bound to another client address");
    }

    @Test
    void refusesExpiriesInThePastOrBeyondSevenDays() {
        assertThatThrownBy(() -> signer.sign(UrlSigner.Method.GET, PATH, NOW, null, null, UrlSigner.Scope.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign(UrlSigner.Method.GET, PATH, NOW.plus(Duration.ofDays(7)).plusSeconds(1), null, null, UrlSigner.Scope.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> signer.sign(UrlSigner.Method.GET, PATH, NOW.plus(Duration.ofDays(7)), null, null, UrlSigner.Scope.NONE))
                .doesNotThrowAnyException();
    }

    @Test
    void aRotatedKeyVerifiesUntilItsGraceEnds() {
        Map<String, String> old = signer.sign(UrlSigner.Method.GET, PATH, NOW.plus(Duration.ofDays(2)), null, null, UrlSigner.Scope.NONE).params();
        PresignKeys rotated = new PresignKeys(K2, K1, NOW.plus(Duration.ofDays(1)));
        assertThatCode(() -> signer(rotated, NOW.plusSeconds(10)).verify("GET", PATH, old::get, HOME))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> signer(rotated, NOW.plus(Duration.ofDays(1))).verify("GET", PATH, old::get, HOME))
                .hasMessageContaining("signature key 'k1' was retired at");
        Map<String, String> fresh = signer(rotated, NOW).sign(UrlSigner.Method.GET, PATH, NOW.plusSeconds(60), null, null,
                UrlSigner.Scope.NONE).params();
        assertThat(fresh.get(UrlSigner.KEY_ID)).isEqualTo("k2");
    }

    @Test
    void keysParseFromIdColonBase64AndNeverPrintTheirSecret() {
        PresignKey parsed = PresignKey.parse(K1.encoded());
        assertThat(parsed).isEqualTo(K1);
        assertThat(parsed.toString()).isEqualTo("PresignKey[k1]");
        assertThatThrownBy(() -> PresignKey.parse("nocolon")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PresignKey.parse("k1:c2hvcnQ=")).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> PresignKey.parse("k 1:" + K1.encoded().substring(3)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PresignKey.parse("k1:***")).hasMessageContaining("not valid base64");
    }

    @Test
    void aPutsScopeIsSignedAndCannotBeAddedChangedOrDropped() {
        UrlSigner.Scope scope = new UrlSigner.Scope("public", null, "text/html");
        Map<String, String> put = signer.sign(UrlSigner.Method.PUT, PATH, NOW.plusSeconds(60), null, "tok_1", scope)
                .params();
        assertThat(put).containsEntry(UrlSigner.VISIBILITY, "public").containsEntry(UrlSigner.CONTENT_TYPE, "text/html")
                .doesNotContainKey(UrlSigner.REPLICATION);
        assertThat(signer.verify("PUT", PATH, put::get, HOME)).isEqualTo("tok_1");

        assertMismatch(with(put, UrlSigner.VISIBILITY, "private"), PATH, "PUT");
        assertMismatch(with(put, UrlSigner.CONTENT_TYPE, null), PATH, "PUT");
        assertMismatch(with(put, UrlSigner.REPLICATION, "1"), PATH, "PUT");
        Map<String, String> plain = signer.sign(UrlSigner.Method.PUT, PATH, NOW.plusSeconds(60), null, "tok_1", UrlSigner.Scope.NONE).params();
        assertMismatch(with(plain, UrlSigner.VISIBILITY, "public"), PATH, "PUT");
        assertMismatch(with(plain, UrlSigner.CONTENT_TYPE, "text/html\nx"), PATH, "PUT");
        assertMismatch(with(plain, UrlSigner.IP, ""), PATH, "PUT");
    }

    private void assertMismatch(Map<String, String> url, GranaryPath path) {
        assertMismatch(url, path, "GET");
    }

    private void assertMismatch(Map<String, String> url, GranaryPath path, String method) {
        assertThatThrownBy(() -> signer.verify(method, path, url::get, HOME))
                .isInstanceOfSatisfying(PresignRefused.class, e -> assertThat(e.expired()).isFalse())
                .hasMessage("signature does not match");
    }

    private static Map<String, String> with(Map<String, String> url, String name, String value) {
        Map<String, String> copy = new HashMap<>(url);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return copy;
    }

    private static UrlSigner signer(PresignKeys keys, Instant now) {
        return new UrlSigner(keys, Clock.fixed(now, ZoneOffset.UTC));
    }
}
