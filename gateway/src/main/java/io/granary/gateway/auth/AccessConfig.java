package io.granary.gateway.auth;

import io.granary.common.net.AuthFailureLimiter;
import io.granary.common.net.Cidr;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's presigning keys, trusted proxies and failed-authentication limit. Immutable; defaults
 * are {@link AuthFailureLimiter}'s, checked in the compact constructor.
 *
 * @param presignKeys         keys for presigned URLs; {@link PresignKeys#NONE} turns presigning off
 * @param trustedProxies      peers whose {@code X-Forwarded-For} is believed; empty: none
 * @param authFailureBurst    failed authentications allowed per client address at once (0: no limit)
 * @param authFailurePeriod   time in which that many tries are earned back
 */
public record AccessConfig(PresignKeys presignKeys, List<Cidr> trustedProxies, int authFailureBurst,
                           Duration authFailurePeriod) {
    public AccessConfig {
        if (presignKeys == null) {
            throw new IllegalArgumentException("presign keys are required (PresignKeys.NONE for none)");
        }
        trustedProxies = List.copyOf(trustedProxies);
        if (authFailureBurst < 0 || authFailurePeriod.isNegative() || authFailurePeriod.isZero()) {
            throw new IllegalArgumentException("the authentication failure limit needs a burst >= 0 and a positive period");
        }
    }

    /** No presigning, no trusted proxy, the default failure limit. */
    public static AccessConfig defaults() {
        return new AccessConfig(PresignKeys.NONE, List.of(), AuthFailureLimiter.DEFAULT_BURST, AuthFailureLimiter.DEFAULT_PERIOD);
    }

    public AccessConfig withPresignKeys(PresignKeys value) {
        return new AccessConfig(value, trustedProxies, authFailureBurst, authFailurePeriod);
    }

    public AccessConfig withTrustedProxies(List<Cidr> value) {
        return new AccessConfig(presignKeys, value, authFailureBurst, authFailurePeriod);
    }

    /** Both parts of the failure limit at once: {@code burst} failures, earned back over {@code period}. */
    public AccessConfig withAuthFailureLimit(int burst, Duration period) {
        return new AccessConfig(presignKeys, trustedProxies, burst, period);
    }
}
