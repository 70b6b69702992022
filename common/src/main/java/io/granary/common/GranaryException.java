package io.granary.common;

/**
 * A failure with a kind and a message fit for a user. Domain code throws it; the gRPC edge turns it
 * into a status, and the client library turns a status back into it.
 */
public class GranaryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    public GranaryException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public GranaryException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static GranaryException notFound(String message) {
        return new GranaryException(ErrorKind.NOT_FOUND, message);
    }

    public static GranaryException invalid(String message) {
        return new GranaryException(ErrorKind.INVALID_ARGUMENT, message);
    }

    public static GranaryException unavailable(String message) {
        return new GranaryException(ErrorKind.UNAVAILABLE, message);
    }
}
