package io.granary.gateway;

import io.granary.common.ByteSize;
import io.granary.common.Durations;
import io.granary.gateway.http.IdleTimeouts;
import io.javalin.Javalin;
import java.time.Duration;

/**
 * The gateway's limits on a request: its head, its idle time, and the fields of a form upload.
 * Immutable; defaults are the named constants, checked in the compact constructor.
 *
 * @param requestHeaderBytes  the request line and headers together, at most; more is 431
 * @param idleTimeout         a connection that sends or accepts no byte for this long is closed, so a
 *                            stalled client cannot hold a thread; a transfer moving at any pace is never cut
 * @param maxFormFields       fields a multipart upload may have before its {@code file} field
 * @param maxFormFieldBytes   bytes of each such field at most (the {@code file} field itself is not capped)
 */
public record HttpLimits(int requestHeaderBytes, Duration idleTimeout, int maxFormFields, long maxFormFieldBytes) {

    public static final int DEFAULT_REQUEST_HEADER_BYTES = (int) (16 * ByteSize.KIB);
    /** The idle timeout as an operator writes it (flag default, --help, docs/configuration.md); the Duration is parsed from it. */
    public static final String DEFAULT_IDLE_TIMEOUT_TEXT = "30s";
    public static final Duration DEFAULT_IDLE_TIMEOUT = Durations.parse(DEFAULT_IDLE_TIMEOUT_TEXT);
    public static final int DEFAULT_MAX_FORM_FIELDS = 32;
    public static final long DEFAULT_MAX_FORM_FIELD_BYTES = 64 * ByteSize.KIB;

    public HttpLimits {
        if (requestHeaderBytes < 1024) {
            throw new IllegalArgumentException("the request header limit must be at least 1 KiB, not "
                    + requestHeaderBytes + " bytes");
        }
        if (idleTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("the idle timeout must be at least 100 ms, not " + idleTimeout);
        }
        if (maxFormFields < 1 || maxFormFieldBytes < 1) {
            throw new IllegalArgumentException("form limits must be positive");
        }
    }

    /** The default limits. */
    public static HttpLimits defaults() {
        return new HttpLimits(DEFAULT_REQUEST_HEADER_BYTES, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_FORM_FIELDS,
                DEFAULT_MAX_FORM_FIELD_BYTES);
    }

    public HttpLimits withIdleTimeout(Duration value) {
        return new HttpLimits(requestHeaderBytes, value, maxFormFields, maxFormFieldBytes);
    }

    /** Both form limits at once. */
    public HttpLimits withFormLimits(int fields, long fieldBytes) {
        return new HttpLimits(requestHeaderBytes, idleTimeout, fields, fieldBytes);
    }

    /**
     * Closes a connection of {@code app} after {@link #idleTimeout} without a byte in either direction.
     * Jetty restarts the clock on every read or write, so a stalled client is cut while an upload or
     * download that keeps moving, however slowly and however long, never is. Applied once the
     * connectors exist; it holds for every connection accepted from then on.
     */
    public void applyIdleTimeout(Javalin app) {
        IdleTimeouts.apply(app, idleTimeout);
    }
}
