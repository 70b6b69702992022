package io.granary.gateway.s3.sigv4;

import io.granary.gateway.s3.protocol.S3ErrorCode;
import io.granary.gateway.s3.protocol.S3Exception;
import java.util.List;

/** The {@code SignedHeaders} list {@code host;x-amz-date;...}, which must name {@code host}. */
final class SignedHeaders {
    private SignedHeaders() {
    }

    static List<String> parse(String text, S3ErrorCode code, String prefix) {
        List<String> names = List.of(text.split(";", -1));
        for (String name : names) {
            if (name.isEmpty() || !name.equals(name.strip())) {
                throw new S3Exception(code, prefix + "SignedHeaders \"" + text + "\" is not a list of header names.");
            }
        }
        if (!names.contains("host")) {
            throw new S3Exception(code, prefix + "SignedHeaders must include host.");
        }
        return names;
    }
}
