package io.granary.gateway.s3.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChecksumAlgorithmTest {

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void everyAlgorithmComputesWhatTheSdkComputes(ChecksumAlgorithm algorithm) {
        for (int size : new int[] {0, 1, 7, 1000, 100_003}) {
            byte[] data = Bodies.random(size);
            ChecksumAlgorithm.Digest digest = algorithm.newDigest();
            for (int offset = 0; offset < size; offset += 333) {
                digest.update(data, offset, Math.min(333, size - offset));
            }

            byte[] checksum = digest.finish();

            assertThat(checksum).hasSize(algorithm.length());
            assertThat(algorithm.base64(checksum)).as("%d bytes", size).isEqualTo(Bodies.sdkChecksum(algorithm, data));
        }
    }

    @Test
    void crc64NvmeHasItsPublishedCheckValue() {
        ChecksumAlgorithm.Digest digest = ChecksumAlgorithm.CRC64NVME.newDigest();
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        digest.update(check, 0, check.length);

        assertThat(ByteBuffer.wrap(digest.finish()).getLong()).isEqualTo(0xAE8B14860A799888L);
    }

    @ParameterizedTest
    @EnumSource(ChecksumAlgorithm.class)
    void algorithmsAreFoundByHeaderAndByS3Name(ChecksumAlgorithm algorithm) {
        assertThat(ChecksumAlgorithm.fromHeaderName(algorithm.headerName().toUpperCase())).contains(algorithm);
        assertThat(ChecksumAlgorithm.fromS3Name(algorithm.s3Name().toLowerCase())).contains(algorithm);
    }

    @Test
    void headerNamesAreS3s() {
        assertThat(ChecksumAlgorithm.CRC32.headerName()).isEqualTo("x-amz-checksum-crc32");
        assertThat(ChecksumAlgorithm.CRC64NVME.headerName()).isEqualTo("x-amz-checksum-crc64nvme");
        assertThat(ChecksumAlgorithm.MD5.headerName()).isEqualTo("content-md5");
        assertThat(ChecksumAlgorithm.fromHeaderName("x-amz-checksum-algorithm")).isEmpty();
    }

    @Test
    void aValueOfTheWrongLengthOrNotBase64IsNotAChecksum() {
        assertThat(ChecksumAlgorithm.CRC32.decode(Base64.getEncoder().encodeToString(new byte[5]))).isEmpty();
        assertThat(ChecksumAlgorithm.CRC32.decode("!!!!")).isEmpty();
        assertThat(ChecksumAlgorithm.CRC32.decode("AAAAAA=="))
                .hasValueSatisfying(bytes -> assertThat(bytes).hasSize(4));
    }
}
