package io.granary.gateway.s3.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ObjectKeysTest {
    @Test
    void aKeyIsThePathBelowItsBucket() {
        assertThat(ObjectKeys.path("photos", "2024/a.jpg").toString()).isEqualTo("/photos/2024/a.jpg");
        assertThat(ObjectKeys.path("photos", "2024/").toString()).isEqualTo("/photos/2024");
    }

    @Test
    void aKeyOfTwoThousandBytesIsTooLong() {
        assertThatThrownBy(() -> ObjectKeys.path("b", "k".repeat(2000)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(S3ErrorCode.KEY_TOO_LONG));
    }

    @Test
    void keysAHierarchyCannotHoldAreRefusedAsInvalid() {
        for (String key : new String[] {"a//b", "/a", "a/./b", "a/../b", "x\u0001y"}) {
            assertThatThrownBy(() -> ObjectKeys.path("b", key)).as(key)
                    .isInstanceOfSatisfying(S3Exception.class,
                            e -> assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT));
        }
    }

    @Test
    void bucketNamesFollowS3sRulesOnlyWhenCreated() {
        BucketNames.checkNew("my-bucket.2026");
        for (String name : new String[] {"ab", "Upper", "-dash", "a..b", "192.168.0.1", "x".repeat(64)}) {
            assertThatThrownBy(() -> BucketNames.checkNew(name)).as(name).isInstanceOf(S3Exception.class);
        }
        assertThat(BucketNames.isAddressable("Upper")).isTrue();
    }
}
