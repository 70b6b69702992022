package io.granary.common.grpc;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret every node of one cluster shares and sends on every gRPC call (see
 * {@link ClusterSecretInterceptors}). Its {@link #toString()} never shows it, so a config that holds
 * one can be logged.
 *
 * @param value at least {@value #MIN_LENGTH} printable ASCII characters without spaces (it travels as
 *              a gRPC metadata value)
 */
public record ClusterSecret(String value) {
    /** 16 characters: even hex digits alone give 64 bits, beyond online guessing. */
    public static final int MIN_LENGTH = 16;
    private static final int GENERATED_BYTES = 32;

    public ClusterSecret {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a cluster secret is required: set --cluster-secret or "
                    + "GRANARY_CLUSTER_SECRET to the same value (at least " + MIN_LENGTH + " characters) on "
                    + "the master, every chunkserver and every gateway");
        }
        if (value.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the cluster secret is too short: " + value.length()
                    + " characters, at least " + MIN_LENGTH + " are required (for example: openssl rand -hex 32)");
        }
        if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the cluster secret must be printable ASCII without spaces "
                    + "(it travels as a gRPC metadata value)");
        }
    }

    /** Checks and wraps {@code value}; the exception says what is wrong without showing it. */
    public static ClusterSecret of(String value) {
        return new ClusterSecret(value);
    }

    /** A fresh random secret (256 bits, hex), as {@code granary local} makes one per run. */
    public static ClusterSecret generate() {
        byte[] bytes = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(bytes);
        return new ClusterSecret(HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return "ClusterSecret[***]";
    }
}
