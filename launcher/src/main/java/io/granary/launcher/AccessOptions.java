package io.granary.launcher;

import io.granary.gateway.HttpLimits;
import io.granary.gateway.auth.AccessConfig;
import io.granary.gateway.auth.ClientIp;
import io.granary.gateway.auth.PresignKey;
import io.granary.gateway.auth.PresignKeys;
import io.granary.launcher.cli.DurationConverter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/**
 * The gateway's presigning keys, trusted proxies and idle timeout, shared by {@code gateway} and
 * {@code local}. Checked when the command runs: a bad value stops it with one line and exit code 2.
 */
final class AccessOptions {

    @Option(names = "--presign-key", paramLabel = "ID:BASE64", defaultValue = "${env:GRANARY_PRESIGN_KEY}",
            description = "Key that signs presigned URLs: an id, a colon, and at least 32 random bytes in base64 "
                    + "(e.g. k1:$(openssl rand -base64 32)). Without it, POST /api/v1/presign answers 503; "
                    + "'local' generates one under its data directory.")
    String presignKey;

    @Option(names = "--presign-previous-key", paramLabel = "ID:BASE64",
            defaultValue = "${env:GRANARY_PRESIGN_PREVIOUS_KEY}",
            description = "The key being rotated out: URLs it signed are still accepted until --presign-previous-until.")
    String previousKey;

    @Option(names = "--presign-previous-until", paramLabel = "INSTANT",
            defaultValue = "${env:GRANARY_PRESIGN_PREVIOUS_UNTIL}",
            description = "When the previous key stops verifying, ISO-8601 (e.g. 2026-12-09T00:00:00Z).")
    String previousUntil;

    @Option(names = "--trusted-proxies", paramLabel = "CIDR[,CIDR...]", defaultValue = "${env:GRANARY_TRUSTED_PROXIES}",
            description = "Peers whose X-Forwarded-For header is believed (default: none, the socket's peer is the client).")
    String trustedProxies;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.OrSeconds.class,
            defaultValue = "${env:GRANARY_IDLE_TIMEOUT:-" + HttpLimits.DEFAULT_IDLE_TIMEOUT_TEXT + "}",
            description = "Close a connection that moves no byte for this long; a bare number is seconds "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    /**
     * The access settings these options describe.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    AccessConfig toConfig() {
        return AccessConfig.defaults()
                .withPresignKeys(presignKeys())
                .withTrustedProxies(parse("--trusted-proxies", () -> ClientIp.parseList(trustedProxies)));
    }

    /**
     * The HTTP limits these options describe.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    HttpLimits toLimits() {
        return HttpLimits.defaults().withIdleTimeout(idleTimeout);
    }

    private PresignKeys presignKeys() {
        PresignKey current = blank(presignKey) ? null : parse("--presign-key", () -> PresignKey.parse(presignKey));
        PresignKey previous = blank(previousKey) ? null
                : parse("--presign-previous-key", () -> PresignKey.parse(previousKey));
        Instant until = blank(previousUntil) ? null : parse("--presign-previous-until", () -> {
            try {
                return Instant.parse(previousUntil.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + previousUntil + "' is not an ISO-8601 instant such as "
                        + "2026-12-09T00:00:00Z");
            }
        });
        return parse("--presign-previous-key", () -> new PresignKeys(current, previous, until));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static <T> T parse(String option, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
