package io.granary.gateway.s3;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import io.granary.gateway.s3.sigv4.DecodedBody;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Optional;
import java.util.function.Function;

/**
 * A request's body as the operation reads it: {@code aws-chunked} framing removed and its chunk
 * signatures checked, and Content-MD5, {@code x-amz-checksum-*} and a signed payload hash verified
 * when the last byte is read, so that a body failing them ends its upload before anything becomes
 * visible. The failure is kept, so that the operation answers with its S3 code even though the
 * upload code saw only an I/O error.
 */
final class S3Body {
    private final DecodedBody decoded;
    private final PushbackInputStream stream;

    private S3Body(DecodedBody decoded) {
        this.decoded = decoded;
        this.stream = new PushbackInputStream(decoded, 1);
    }

    static S3Body open(Context ctx, S3Caller caller) {
        if (caller.verified() == null) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Access Denied: a write needs a signed request");
        }
        try {
            return new S3Body(DecodedBody.decodedBody(ctx.req().getInputStream(), caller.signed(),
                    caller.verified(), false));
        } catch (IOException e) {
            throw new S3Exception(S3ErrorCode.INCOMPLETE_BODY, "the request body could not be read: " + e.getMessage());
        }
    }

    InputStream stream() {
        return stream;
    }

    /**
     * The XML document the body holds, read to its end; a failure of the body's own checks (a wrong
     * Content-MD5, say) is answered as such rather than as the malformed document it leaves.
     */
    <T> T parse(Function<InputStream, T> document) {
        try {
            return document.apply(stream);
        } catch (S3Exception e) {
            throw failure().orElse(e);
        }
    }

    /** The first failure of the body's checks or framing, if one happened. */
    Optional<S3Exception> failure() {
        return decoded.failure();
    }

    /** Whether the body has at least one byte (reads one, and puts it back). */
    boolean hasBytes() {
        try {
            int first = stream.read();
            if (first < 0) {
                return false;
            }
            stream.unread(first);
            return true;
        } catch (IOException e) {
            throw failure().orElseGet(() -> new S3Exception(S3ErrorCode.INCOMPLETE_BODY,
                    "the request body could not be read: " + e.getMessage()));
        }
    }

    /** Sends back the {@code x-amz-checksum-*} values the body was verified against, as S3 does. */
    void echoChecksums(Context ctx) {
        decoded.checksums().forEach((algorithm, value) -> ctx.header(algorithm.headerName(), value));
    }
}
