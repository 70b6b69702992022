package io.granary.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import org.junit.jupiter.api.Test;

class S3RequestTest {
    @Test
    void pathStyleNamesTheBucketFirstAndDecodesTheKeyOnce() {
        S3Request request = S3Request.parse("get", "localhost:9000", "/photos/2026/a%20b%2Bc%25.jpg",
                "list-type=2&prefix=a+b&uploads", "");
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.bucket()).isEqualTo("photos");
        assertThat(request.key()).isEqualTo("2026/a b+c%.jpg");
        assertThat(request.param("prefix")).isEqualTo("a b");
        assertThat(request.has("uploads")).isTrue();
    }

    @Test
    void aVirtualHostUnderTheDomainNamesTheBucketAndThePathIsTheKey() {
        S3Request request = S3Request.parse("PUT", "photos.s3.example.com:9000", "/2026/cat.jpg", null,
                "s3.example.com");
        assertThat(request.bucket()).isEqualTo("photos");
        assertThat(request.key()).isEqualTo("2026/cat.jpg");
        assertThat(S3Request.parse("GET", "s3.example.com", "/photos/cat.jpg", null, "s3.example.com").bucket())
                .as("the bare domain is path style").isEqualTo("photos");
    }

    @Test
    void theServiceHasNeitherBucketNorKey() {
        S3Request request = S3Request.parse("GET", "localhost", "/", null, "");
        assertThat(request.bucket()).isEmpty();
        assertThat(request.key()).isEmpty();
    }

    @Test
    void percentEncodingThatIsNotUtf8IsAnInvalidArgument() {
        assertThatThrownBy(() -> S3Request.parse("GET", "h", "/b/%C3%28", null, ""))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT));
        assertThatThrownBy(() -> S3Request.parse("GET", "h", "/b/%zz", null, ""))
                .isInstanceOf(S3Exception.class);
    }

    @Test
    void aPageSizeDefaultsToAndIsCappedAtTheMostAndMustBeAWholeNumber() {
        S3Request request = S3Request.parse("GET", "h", "/b", "max-keys=5000&max-parts=-1&max-uploads=7", "");
        assertThat(request.pageSize("max-keys", 1000)).isEqualTo(1000);
        assertThat(request.pageSize("max-uploads", 1000)).isEqualTo(7);
        assertThat(request.pageSize("absent", 1000)).isEqualTo(1000);
        assertThatThrownBy(() -> request.pageSize("max-parts", 1000))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT));
    }
}
