package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Decodes an {@code aws-chunked} body ({@code Content-Encoding: aws-chunked}) in any of the three
 * streaming modes: {@code hex-size[;chunk-signature=sig]CRLF data CRLF} chunks, a final empty chunk,
 * then trailing {@code name:value} lines (a checksum, and in the signed-trailer mode
 * {@code x-amz-trailer-signature}) and an empty line.
 *
 * <p>Chunk data is handed to the reader as it arrives; a chunk's signature is checked when the chunk
 * ends, and the trailers, the decoded length ({@code x-amz-decoded-content-length}) and the absence of
 * anything after the end are checked before end of stream is reported. So a failure always comes
 * before end of stream, as an {@link S3BodyException}, and a reader that commits only at end of stream
 * never commits a bad body. Memory is bounded by a fixed read buffer and line buffer whatever the
 * input: a header line longer than {@value #MAX_LINE} bytes, more than {@value #MAX_TRAILERS}
 * trailers or a chunk size beyond the declared length fail at once.
 */
public final class AwsChunkedInputStream extends InputStream {
    /** The longest chunk header or trailer line accepted, CRLF excluded. */
    static final int MAX_LINE = 1024;
    /** The most trailing headers accepted. */
    static final int MAX_TRAILERS = 8;
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";
    private static final String CHUNK_SIGNATURE = "chunk-signature=";
    private static final Pattern SIZE = Pattern.compile("[0-9a-fA-F]{1,16}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");

    private final InputStream raw;
    private final PayloadMode mode;
    private final SignatureChain signatures;
    private final long declaredLength;
    private final ChecksumAlgorithm trailerChecksum;
    private final ChecksumAlgorithm.Digest trailerDigest;
    private final MessageDigest chunkDigest = SigV4Crypto.sha256();
    private final byte[] line = new byte[MAX_LINE];

    private long decoded;
    private long chunkRemaining;
    private boolean inChunk;
    private int chunkNumber;
    private String chunkSignature;
    private boolean ended;
    private String trailerValue;
    private S3Exception failure;

    /**
     * @param raw the body as received
     * @param verified the request's verification, whose payload mode must be a streaming one
     * @param declaredLength the {@code x-amz-decoded-content-length} the chunks must add up to
     * @param trailerChecksum the checksum {@code x-amz-trailer} declares, required as a trailer and
     *     checked against the decoded bytes; empty when none is declared
     */
    public AwsChunkedInputStream(InputStream raw, VerifiedRequest verified, long declaredLength,
            Optional<ChecksumAlgorithm> trailerChecksum) {
        this.raw = new BufferedInputStream(Objects.requireNonNull(raw, "raw"));
        this.mode = verified.payloadMode();
        if (!mode.streaming() || trailerChecksum.isPresent() && !mode.trailer() || declaredLength < 0) {
            throw new IllegalArgumentException("not an aws-chunked body of " + declaredLength + " bytes in " + mode
                    + (trailerChecksum.isPresent() ? " with a trailer" : ""));
        }
        this.signatures = mode.chunkSigned() ? verified.signatureChain() : null;
        this.declaredLength = declaredLength;
        this.trailerChecksum = trailerChecksum.orElse(null);
        this.trailerDigest = trailerChecksum.map(ChecksumAlgorithm::newDigest).orElse(null);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            throw new S3BodyException(failure);
        }
        if (len == 0) {
            return 0;
        }
        try {
            while (!ended && chunkRemaining == 0) {
                nextChunk();
            }
            if (ended) {
                return -1;
            }
            int n = raw.read(b, off, (int) Math.min(len, chunkRemaining));
            if (n < 0) {
                throw incomplete("The body ended inside chunk " + chunkNumber + ".");
            }
            chunkDigest.update(b, off, n);
            if (trailerDigest != null) {
                trailerDigest.update(b, off, n);
            }
            chunkRemaining -= n;
            decoded += n;
            return n;
        } catch (S3Exception e) {
            failure = e;
            throw new S3BodyException(e);
        }
    }

    /** Closes the chunk just read, if any, and opens the next one, or the end. */
    private void nextChunk() throws IOException {
        if (inChunk) {
            requireByte('\r', "chunk " + chunkNumber + "'s data is not followed by CRLF.");
            requireByte('\n', "chunk " + chunkNumber + "'s data is not followed by CRLF.");
            requireChunkSignature();
            inChunk = false;
        }
        String header = readLine("chunk header");
        int semicolon = header.indexOf(';');
        String size = semicolon < 0 ? header : header.substring(0, semicolon);
        if (!SIZE.matcher(size).matches()) {
            throw malformed("the chunk size \"" + abbreviated(size) + "\" is not 1 to 16 hex digits.");
        }
        long chunkSize = Long.parseUnsignedLong(size, 16);
        chunkNumber++;
        chunkSignature = mode.chunkSigned() ? chunkSignature(header, semicolon) : null;
        if (chunkSize == 0) {
            requireChunkSignature();
            end();
            return;
        }
        if (chunkSize < 0 || chunkSize > declaredLength - decoded) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Chunk " + chunkNumber + " goes beyond the "
                    + declaredLength + " bytes of x-amz-decoded-content-length.");
        }
        chunkRemaining = chunkSize;
        inChunk = true;
    }

    private String chunkSignature(String header, int semicolon) {
        String extensions = semicolon < 0 ? "" : header.substring(semicolon + 1);
        if (!extensions.startsWith(CHUNK_SIGNATURE)
                || !SIGNATURE.matcher(extensions.substring(CHUNK_SIGNATURE.length())).matches()) {
            throw malformed("chunk " + chunkNumber + " has no chunk-signature.");
        }
        return extensions.substring(CHUNK_SIGNATURE.length());
    }

    private void requireChunkSignature() {
        if (signatures != null
                && !signatures.acceptChunk(SigV4Crypto.HEX.formatHex(chunkDigest.digest()), chunkSignature)) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                    "The chunk-signature of chunk " + chunkNumber + " does not match its data.");
        }
        chunkDigest.reset();
    }

    /** After the final chunk: the decoded length, the trailers, and nothing more. */
    private void end() throws IOException {
        if (decoded != declaredLength) {
            throw incomplete("The body decodes to " + decoded + " bytes, not the " + declaredLength
                    + " of x-amz-decoded-content-length.");
        }
        Map<String, String> trailers = readTrailers();
        String trailerSignature = trailers.remove(TRAILER_SIGNATURE);
        if (mode == PayloadMode.STREAMING_SIGNED_TRAILER) {
            requireTrailerSignature(trailers, trailerSignature);
        } else if (trailerSignature != null) {
            throw malformedTrailer("x-amz-trailer-signature belongs to STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER "
                    + "bodies only.");
        }
        if (trailerChecksum != null) {
            requireTrailerChecksum(trailers.remove(trailerChecksum.headerName()));
        }
        if (!trailers.isEmpty()) {
            throw malformedTrailer("the trailer " + trailers.keySet().iterator().next()
                    + " is not declared in x-amz-trailer.");
        }
        if (raw.read() >= 0) {
            throw malformed("there are bytes after the end of the body.");
        }
        ended = true;
    }

    private Map<String, String> readTrailers() throws IOException {
        Map<String, String> trailers = new TreeMap<>();
        for (String trailer = readLine("trailer"); !trailer.isEmpty(); trailer = readLine("trailer")) {
            int colon = trailer.indexOf(':');
            if (colon <= 0 || trailers.size() == MAX_TRAILERS) {
                throw malformedTrailer("\"" + abbreviated(trailer) + "\" is not one of at most " + MAX_TRAILERS
                        + " name:value lines.");
            }
            String name = trailer.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (trailers.put(name, CanonicalRequest.canonicalValue(trailer.substring(colon + 1))) != null) {
                throw malformedTrailer("the trailer " + name + " is sent twice.");
            }
        }
        return trailers;
    }

    /** The trailer signature signs the other trailers as canonical headers: sorted {@code name:value\n}. */
    private void requireTrailerSignature(Map<String, String> trailers, String claimed) {
        if (claimed == null) {
            throw malformedTrailer("the signed trailer has no x-amz-trailer-signature.");
        }
        StringBuilder canonical = new StringBuilder();
        trailers.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
        if (!signatures.acceptTrailer(SigV4Crypto.sha256Hex(canonical.toString()), claimed)) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH,
                    "The x-amz-trailer-signature does not match the trailers.");
        }
    }

    private void requireTrailerChecksum(String value) {
        if (value == null) {
            throw malformedTrailer("the trailer " + trailerChecksum.headerName()
                    + " declared in x-amz-trailer was not sent.");
        }
        ExpectedChecksum expected = ExpectedChecksum.flexible(trailerChecksum, value);
        Optional<S3Exception> mismatch = expected.check(trailerDigest.finish());
        if (mismatch.isPresent()) {
            throw mismatch.get();
        }
        trailerValue = expected.base64();
    }

    /** One line up to CRLF, at most {@link #MAX_LINE} bytes, read into the fixed line buffer. */
    private String readLine(String what) throws IOException {
        int length = 0;
        while (true) {
            int c = raw.read();
            if (c < 0) {
                throw incomplete("The body ended early, in a " + what + " line.");
            }
            if (c == '\r') {
                requireByte('\n', "a " + what + " line has a CR without LF.");
                return new String(line, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (length == MAX_LINE) {
                throw malformed("a " + what + " line is longer than " + MAX_LINE + " bytes.");
            }
            line[length++] = (byte) c;
        }
    }

    private void requireByte(char expected, String otherwise) throws IOException {
        int c = raw.read();
        if (c < 0) {
            throw incomplete("The body ended early.");
        }
        if (c != expected) {
            throw malformed(otherwise);
        }
    }

    /** The first failure of this body, if it failed. */
    public Optional<S3Exception> failure() {
        return Optional.ofNullable(failure);
    }

    /** The decoded bytes handed out so far; the body's length once end of stream is reported. */
    public long decodedLength() {
        return decoded;
    }

    /** The verified base64 value of the declared trailer checksum, once end of stream is reported. */
    public Optional<String> trailerChecksum() {
        return Optional.ofNullable(trailerValue);
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static S3Exception malformed(String reason) {
        return new S3Exception(S3ErrorCode.INVALID_REQUEST, "The aws-chunked body is malformed: " + reason);
    }

    private static S3Exception malformedTrailer(String reason) {
        return new S3Exception(S3ErrorCode.MALFORMED_TRAILER, "The trailers of the aws-chunked body are malformed: "
                + reason);
    }

    private static S3Exception incomplete(String reason) {
        return new S3Exception(S3ErrorCode.INCOMPLETE_BODY, reason);
    }
}
