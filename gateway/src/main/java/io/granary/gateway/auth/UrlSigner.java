package io.granary.gateway.auth;

import io.granary.common.GranaryPath;
import io.granary.common.net.Cidr;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies presigned URLs: HMAC-SHA256 over the method, the canonical file path, the
 * expiry (epoch seconds), the bound client address (or nothing), the signer (a PUT's owner), the key
 * id and, when the URL has one, its {@link Scope} (what a PUT stores besides its content). The URL carries
 * these as query parameters; changing any of them breaks the signature. Signatures are compared in
 * constant time. Pure and thread-safe: no I/O, the clock is injected.
 */
public final class UrlSigner {
    public static final Duration MAX_EXPIRY = Duration.ofDays(7);
    public static final String EXPIRES = "X-Granary-Expires";
    public static final String KEY_ID = "X-Granary-KeyId";
    public static final String SIGNATURE = "X-Granary-Signature";
    public static final String IP = "X-Granary-Ip";
    /** Who signed a PUT: the owner its upload gets. Signed like the rest. */
    public static final String OWNER = "X-Granary-Owner";
    /** The content type a presigned PUT stores, when its signer chose one. Signed like the rest. */
    public static final String CONTENT_TYPE = "X-Granary-Content-Type";
    /** The upload's own query parameters that a presigned PUT may carry only as its signer signed them. */
    public static final String VISIBILITY = "visibility";
    public static final String REPLICATION = "replication";
    /** The scope parameters, in their canonical order. */
    private static final java.util.List<String> SCOPE = java.util.List.of(VISIBILITY, REPLICATION, CONTENT_TYPE);
    private static final java.util.regex.Pattern OWNER_SYNTAX = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final String SCHEME = "GRANARY-HMAC-SHA256";

    /** What a presigned URL allows: GET also allows HEAD; PUT also allows a form POST to the same path. */
    public enum Method {
        GET, PUT;

        /** The presign method an HTTP method falls under, or null (DELETE, PATCH, ...). */
        public static Method of(String httpMethod) {
            return switch (httpMethod.toUpperCase(Locale.ROOT)) {
                case "GET", "HEAD" -> GET;
                case "PUT", "POST" -> PUT;
                default -> null;
            };
        }
    }

    /**
     * What a presigned PUT may choose besides its content: each null field is not chosen, and then the
     * URL's holder cannot choose it either (the upload gets the default; an unsigned active content
     * type is refused by the upload route).
     */
    public record Scope(String visibility, String replication, String contentType) {
        public static final Scope NONE = new Scope(null, null, null);

        Map<String, String> params() {
            Map<String, String> params = new LinkedHashMap<>();
            put(params, VISIBILITY, visibility);
            put(params, REPLICATION, replication);
            put(params, CONTENT_TYPE, contentType);
            return params;
        }

        private static void put(Map<String, String> params, String name, String value) {
            if (value != null) {
                params.put(name, value);
            }
        }
    }

    /** The query parameters of a signed URL, in URL order, and when it expires. */
    public record Signed(Map<String, String> params, Instant expires) {
    }

    private final PresignKeys keys;
    private final Clock clock;

    public UrlSigner(PresignKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    public boolean enabled() {
        return keys.enabled();
    }

    /**
     * Signs {@code method} on {@code path} until {@code expires}, optionally bound to {@code ip}, on
     * behalf of {@code owner} (a principal id, or null), with what a PUT's holder stores besides the
     * content (visibility, replication, content type; {@link Scope#NONE} for nothing) signed into the URL.
     *
     * @throws IllegalArgumentException when the expiry is not in the future or more than
     *                                  {@link #MAX_EXPIRY} ahead, {@code ip} is not an IP address, or a
     *                                  scope value has a control character
     * @throws IllegalStateException    when no key is configured
     */
    public Signed sign(Method method, GranaryPath path, Instant expires, String ip, String owner, Scope scope) {
        if (!keys.enabled()) {
            throw new IllegalStateException("no presign key is configured");
        }
        Instant now = clock.instant();
        if (!expires.isAfter(now) || expires.isAfter(now.plus(MAX_EXPIRY))) {
            throw new IllegalArgumentException("a presigned URL expires between now and " + MAX_EXPIRY.toDays()
                    + " days from now, not at " + expires);
        }
        long epoch = expires.getEpochSecond();
        String boundIp = ip == null || ip.isBlank() ? null : Cidr.address(ip).getHostAddress();
        if (owner != null && !OWNER_SYNTAX.matcher(owner).matches()) {
            throw new IllegalArgumentException("a presign owner is a principal id, not '" + owner + "'");
        }
        Map<String, String> scoped = scope.params();
        for (Map.Entry<String, String> entry : scoped.entrySet()) {
            if (!isScopeValue(entry.getValue())) {
                throw new IllegalArgumentException(entry.getKey() + " must be printable text, not '"
                        + entry.getValue() + "'");
            }
        }
        PresignKey key = keys.current();
        Map<String, String> params = new LinkedHashMap<>(scoped);
        params.put(EXPIRES, Long.toString(epoch));
        if (boundIp != null) {
            params.put(IP, boundIp);
        }
        if (owner != null) {
            params.put(OWNER, owner);
        }
        params.put(KEY_ID, key.id());
        params.put(SIGNATURE, encode(mac(key, method, path, epoch, boundIp, owner, scoped::get)));
        return new Signed(params, Instant.ofEpochSecond(epoch));
    }

    /**
     * Checks a request that carries a signature: signature first (so a tampered expiry or address
     * reads as "does not match", never as "expired"), then expiry, then the bound address.
     *
     * @param httpMethod the request's method
     * @param param      the request's query parameters by name
     * @param client     the client's address as the gateway decided it (see ClientIp)
     * @return the signer's principal id when the URL names one, else null
     * @throws PresignRefused saying why the URL does not allow this request
     */
    public String verify(String httpMethod, GranaryPath path, Function<String, String> param, InetAddress client) {
        String expiresText = param.apply(EXPIRES);
        String keyId = param.apply(KEY_ID);
        String signature = param.apply(SIGNATURE);
        String ip = param.apply(IP);
        String owner = param.apply(OWNER);
        if (owner != null && !OWNER_SYNTAX.matcher(owner).matches()) {
            throw refused("signature does not match");
        }
        // An empty or unparsable bound address is a tampered URL, not a server error.
        if (ip != null && !isAddress(ip)) {
            throw refused("signature does not match");
        }
        for (String name : SCOPE) {
            String value = param.apply(name);
            if (value != null && !isScopeValue(value)) {
                throw refused("signature does not match");
            }
        }
        if (expiresText == null || keyId == null || signature == null) {
            throw refused("a presigned URL needs " + EXPIRES + ", " + KEY_ID + " and " + SIGNATURE);
        }
        long epoch = epochSeconds(expiresText);
        Instant now = clock.instant();
        PresignKey key = keys.verifying(keyId, now).orElseThrow(() -> refused(keys.previous() != null
                && keys.previous().id().equals(keyId)
                ? "signature key '" + keyId + "' was retired at " + keys.previousUntil()
                : "signature does not match"));
        byte[] given = decode(signature);
        Method method = Method.of(httpMethod);
        if (method == null || !MessageDigest.isEqual(given, mac(key, method, path, epoch, ip, owner, param))) {
            throw refused(signedForOtherMethod(key, method, path, epoch, ip, owner, param, given, httpMethod));
        }
        if (!now.isBefore(Instant.ofEpochSecond(epoch))) {
            throw new PresignRefused("presigned URL expired at " + Instant.ofEpochSecond(epoch), true);
        }
        if (ip != null && !Cidr.parse(ip).contains(client)) {
            throw refused("presigned URL is bound to another client address");
        }
        return owner;
    }

    private String signedForOtherMethod(PresignKey key, Method method, GranaryPath path, long epoch, String ip,
                                        String owner, Function<String, String> param, byte[] given,
                                        String httpMethod) {
        for (Method other : Method.values()) {
            if (other != method && MessageDigest.isEqual(given, mac(key, other, path, epoch, ip, owner, param))) {
                return "presigned URL is for " + other + ", not " + httpMethod.toUpperCase(Locale.ROOT);
            }
        }
        return "signature does not match";
    }

    private static long epochSeconds(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw refused("signature does not match");
        }
    }

    private static byte[] decode(String signature) {
        try {
            return Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static String encode(byte[] mac) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    private static byte[] mac(PresignKey key, Method method, GranaryPath path, long epoch, String ip, String owner,
                              Function<String, String> param) {
        // One field per line: no field can contain a newline (a path has no control characters; the
        // others are a method name, digits, an IP literal, [A-Za-z0-9_.-] ids and scope values checked
        // for control characters), so no two inputs collide. The scope lines follow only when the URL
        // has a scope, so a URL without one signs exactly the fields above.
        StringBuilder canonical = new StringBuilder(String.join("\n", SCHEME, method.name(), path.value(),
                Long.toString(epoch), ip == null ? "" : ip, owner == null ? "" : owner, key.id()));
        boolean scoped = SCOPE.stream().anyMatch(name -> param.apply(name) != null);
        if (scoped) {
            for (String name : SCOPE) {
                String value = param.apply(name);
                canonical.append('\n').append(name).append(value == null ? "" : "=" + value);
            }
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
            return mac.doFinal(canonical.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static boolean isScopeValue(String value) {
        return !value.isEmpty() && value.chars().allMatch(c -> c >= 0x20 && c != 0x7f);
    }

    private static boolean isAddress(String ip) {
        try {
            Cidr.parse(ip);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static PresignRefused refused(String message) {
        return new PresignRefused(message, false);
    }
}
