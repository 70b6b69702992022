package io.granary.gateway;

import io.granary.common.ByteSize;
import io.granary.common.Durations;
import io.granary.common.net.Cidr;
import io.granary.gateway.auth.PresignKeys;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's presigning keys, trusted proxies and request limits. Immutable; defaults are the named
 * constants, checked in the compact constructor.
 *
 * @param presignKeys         keys for presigned URLs; {@link PresignKeys#NONE} turns presigning off
 * @param trustedProxies      peers whose {@code X-Forwarded-For} is believed; empty: none
 * @param requestHeaderBytes  the request line and headers together, at most; more is 431
 * @param idleTimeout         a connection that sends or accepts no byte for this long is closed, so a
 *                            stalled client cannot hold a thread; a transfer moving at any pace is never cut
 * @param authFailureBurst    failed authentications allowed per client address at once (0: no limit)
 * @param authFailurePeriod   time in which that many tries are earned back
 * @param maxFormFields       fields a multipart upload may have before its {@code file} field
 * @param maxFormFieldBytes   bytes of each such field at most (the {@code file} field itself is not capped)
 */
public record AccessConfig(PresignKeys presignKeys, List<Cidr> trustedProxies, int requestHeaderBytes,
                           Duration idleTimeout, int authFailureBurst, Duration authFailurePeriod,
                           int maxFormFields, long maxFormFieldBytes) {
    public static final int DEFAULT_REQUEST_HEADER_BYTES = (int) (16 * ByteSize.KIB);
    /** The idle timeout as an operator writes it (flag default, --help, README); the Duration is parsed from it. */
    public static final String DEFAULT_IDLE_TIMEOUT_TEXT = "30s";
    public static final Duration DEFAULT_IDLE_TIMEOUT = Durations.parse(DEFAULT_IDLE_TIMEOUT_TEXT);
    public static final int DEFAULT_AUTH_FAILURE_BURST = 20;
    public static final Duration DEFAULT_AUTH_FAILURE_PERIOD = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_FORM_FIELDS = 32;
    public static final long DEFAULT_MAX_FORM_FIELD_BYTES = 64 * ByteSize.KIB;
    /** Client addresses the failure limit remembers at most (a few MiB of heap). */
    public static final int AUTH_FAILURE_TRACKED_MAX = 100_000;

    public AccessConfig {
        if (presignKeys == null) {
            throw new IllegalArgumentException("presign keys are required (PresignKeys.NONE for none)");
        }
        trustedProxies = List.copyOf(trustedProxies);
        if (requestHeaderBytes < 1024) {
            throw new IllegalArgumentException("the request header limit must be at least 1 KiB, not "
                    + requestHeaderBytes + " bytes");
        }
        if (idleTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("the idle timeout must be at least 100 ms, not " + idleTimeout);
        }
        if (authFailureBurst < 0 || authFailurePeriod.isNegative() || authFailurePeriod.isZero()) {
            throw new IllegalArgumentException("the authentication failure limit needs a burst >= 0 and a positive period");
        }
        if (maxFormFields < 1 || maxFormFieldBytes < 1) {
            throw new IllegalArgumentException("form limits must be positive");
        }
    }

    /** No presigning, no trusted proxy, default limits. */
    public static AccessConfig defaults() {
        return new AccessConfig(PresignKeys.NONE, List.of(), DEFAULT_REQUEST_HEADER_BYTES, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_AUTH_FAILURE_BURST, DEFAULT_AUTH_FAILURE_PERIOD, DEFAULT_MAX_FORM_FIELDS,
                DEFAULT_MAX_FORM_FIELD_BYTES);
    }

    public AccessConfig withPresignKeys(PresignKeys value) {
        return new AccessConfig(value, trustedProxies, requestHeaderBytes, idleTimeout, authFailureBurst,
                authFailurePeriod, maxFormFields, maxFormFieldBytes);
    }

    public AccessConfig withTrustedProxies(List<Cidr> value) {
        return new AccessConfig(presignKeys, value, requestHeaderBytes, idleTimeout, authFailureBurst,
                authFailurePeriod, maxFormFields, maxFormFieldBytes);
    }

    public AccessConfig withRequestHeaderBytes(int value) {
        return new AccessConfig(presignKeys, trustedProxies, value, idleTimeout, authFailureBurst,
                authFailurePeriod, maxFormFields, maxFormFieldBytes);
    }

    public AccessConfig withIdleTimeout(Duration value) {
        return new AccessConfig(presignKeys, trustedProxies, requestHeaderBytes, value, authFailureBurst,
                authFailurePeriod, maxFormFields, maxFormFieldBytes);
    }

    /** Both parts of the failure limit at once: {@code burst} failures, earned back over {@code period}. */
    public AccessConfig withAuthFailureLimit(int burst, Duration period) {
        return new AccessConfig(presignKeys, trustedProxies, requestHeaderBytes, idleTimeout, burst, period,
                maxFormFields, maxFormFieldBytes);
    }

    /** Both form limits at once. */
    public AccessConfig withFormLimits(int fields, long fieldBytes) {
        return new AccessConfig(presignKeys, trustedProxies, requestHeaderBytes, idleTimeout, authFailureBurst,
                authFailurePeriod, fields, fieldBytes);
    }
}
