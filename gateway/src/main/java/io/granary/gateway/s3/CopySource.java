package io.granary.gateway.s3;

import io.granary.client.GranaryClient;
import io.granary.common.ErrorKind;
import io.granary.common.GranaryException;
import io.granary.common.meta.FileMeta;
import io.granary.gateway.s3.protocol.ObjectKeys;
import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;

/** The object an {@code x-amz-copy-source} header names: {@code [/]bucket/key}, percent-encoded. */
record CopySource(String bucket, String key) {

    static CopySource parse(String header) {
        String raw = header.trim();
        int question = raw.indexOf('?');
        if (question >= 0) {
            String version = raw.substring(question + 1);
            if (!version.equals("versionId=null")) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "Granary keeps no object versions: "
                        + "x-amz-copy-source cannot name one");
            }
            raw = raw.substring(0, question);
        }
        String decoded = S3Request.decode(raw, false);
        if (decoded.startsWith("/")) {
            decoded = decoded.substring(1);
        }
        int slash = decoded.indexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Copy Source must mention the source bucket and "
                    + "key: sourcebucket/sourcekey");
        }
        return new CopySource(decoded.substring(0, slash), decoded.substring(slash + 1));
    }

    /**
     * The source file.
     *
     * @throws S3Exception NoSuchBucket or NoSuchKey
     */
    FileMeta lookup(GranaryClient client) {
        FileMeta file;
        try {
            file = client.stat(ObjectKeys.path(bucket, key).toString());
        } catch (GranaryException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            BucketOperations.existing(client, bucket);
            throw ObjectOperations.noSuchKey(key);
        }
        if (!file.isFile()) {
            throw ObjectOperations.noSuchKey(key);
        }
        return file;
    }
}
