package io.granary.gateway.s3.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChecksumInputStreamTest {

    @Test
    void bytesPassThroughAndEveryChecksumIsKnownAtTheEnd() throws Exception {
        byte[] data = Bodies.random(200_000);
        ExpectedChecksum crc32c =
                ExpectedChecksum.flexible(ChecksumAlgorithm.CRC32C, Bodies.sdkChecksum(ChecksumAlgorithm.CRC32C, data));
        ChecksumInputStream in = new ChecksumInputStream(new ByteArrayInputStream(data), List.of(crc32c),
                Set.of(ChecksumAlgorithm.MD5, ChecksumAlgorithm.SHA256));

        assertThat(Bodies.readAll(in)).isEqualTo(data);
        assertThat(in.complete()).isTrue();
        assertThat(in.length()).isEqualTo(data.length);
        assertThat(ChecksumAlgorithm.MD5.base64(in.checksum(ChecksumAlgorithm.MD5)))
                .isEqualTo(Bodies.sdkChecksum(ChecksumAlgorithm.MD5, data));
        assertThat(ChecksumAlgorithm.SHA256.base64(in.checksum(ChecksumAlgorithm.SHA256)))
                .isEqualTo(Bodies.sdkChecksum(ChecksumAlgorithm.SHA256, data));
    }

    @Test
    void aMismatchIsThrownInPlaceOfEndOfStream() throws Exception {
        byte[] data = Bodies.random(1000);
        ChecksumInputStream in = new ChecksumInputStream(new ByteArrayInputStream(data),
                List.of(ExpectedChecksum.contentSha256(HexFormat.of().formatHex(new byte[32]))), Set.of());

        assertThat(in.readNBytes(1000)).isEqualTo(data);
        assertThatThrownBy(in::read).isInstanceOfSatisfying(S3BodyException.class,
                e -> assertThat(e.failure().code()).isEqualTo(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH));
        assertThat(in.complete()).isFalse();
        assertThatThrownBy(() -> in.checksum(ChecksumAlgorithm.SHA256)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailureOfTheStreamBelowIsKeptAsTheFailure() {
        S3Exception below = new S3Exception(S3ErrorCode.INCOMPLETE_BODY, "cut");
        InputStream failing = new InputStream() {
            @Override
            public int read() throws S3BodyException {
                throw new S3BodyException(below);
            }
        };
        ChecksumInputStream in = new ChecksumInputStream(failing, List.of(), Set.of(ChecksumAlgorithm.MD5));

        assertThatThrownBy(in::read).isInstanceOf(S3BodyException.class);
        assertThat(in.failure()).contains(below);
    }
}
