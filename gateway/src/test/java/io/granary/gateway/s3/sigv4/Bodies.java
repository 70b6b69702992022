package io.granary.gateway.s3.sigv4;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;

/** Test bodies, and what the SDK computes of them. */
final class Bodies {
    static final int SDK_CHUNK = 128 * 1024;

    private Bodies() {
    }

    /** {@code size} bytes that are the same on every run. */
    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Everything {@code in} gives up to end of stream, read in 8 KiB pieces. */
    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** The SDK's checksum of {@code data} as S3 writes it. */
    static String sdkChecksum(ChecksumAlgorithm algorithm, byte[] data) {
        SdkChecksum checksum = SdkChecksum.forAlgorithm(sdkAlgorithm(algorithm));
        checksum.update(data);
        return Base64.getEncoder().encodeToString(checksum.getChecksumBytes());
    }

    static software.amazon.awssdk.checksums.spi.ChecksumAlgorithm sdkAlgorithm(ChecksumAlgorithm algorithm) {
        return DefaultChecksumAlgorithm.fromValue(algorithm.s3Name());
    }

    /** The index of the first byte of chunk {@code n}'s data (from 1) in an aws-chunked body. */
    static int chunkDataStart(byte[] encoded, int n) {
        int position = 0;
        for (int chunk = 1; ; chunk++) {
            int lineEnd = indexOfCrlf(encoded, position);
            int size = Integer.parseInt(new String(encoded, position, lineEnd - position,
                    StandardCharsets.ISO_8859_1).split(";")[0], 16);
            if (chunk == n) {
                return lineEnd + 2;
            }
            position = lineEnd + 2 + size + 2;
        }
    }

    /** The index of the final chunk's header line, where the chunks end. */
    static int finalChunkStart(byte[] encoded) {
        int position = 0;
        while (true) {
            int lineEnd = indexOfCrlf(encoded, position);
            int size = Integer.parseInt(new String(encoded, position, lineEnd - position,
                    StandardCharsets.ISO_8859_1).split(";")[0], 16);
            if (size == 0) {
                return position;
            }
            position = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("no CRLF after " + from);
    }
}
