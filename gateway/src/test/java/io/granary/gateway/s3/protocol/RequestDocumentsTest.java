package io.granary.gateway.s3.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestDocumentsTest {
    private static InputStream body(String xml) {
        return new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCompletionBodyGivesItsPartsInTheOrderWritten() {
        var parts = RequestDocuments.completedParts(body("<CompleteMultipartUpload xmlns=\""
                + XmlWriter.S3_NAMESPACE + "\"><Part><ETag>\"aa\"</ETag><PartNumber>1</PartNumber>"
                + "<ChecksumCRC32>x</ChecksumCRC32></Part><Part><PartNumber>3</PartNumber><ETag>bb</ETag></Part>"
                + "</CompleteMultipartUpload>"));
        assertThat(parts).containsExactly(new RequestDocuments.CompletedPart(1, "\"aa\""),
                new RequestDocuments.CompletedPart(3, "bb"));
    }

    @Test
    void theBodyIsReadToItsEndSoTheChecksMadeThereRun() {
        ByteArrayInputStream in = (ByteArrayInputStream) body("<Delete><Object><Key>k</Key></Object></Delete>\n\n   \n");
        assertThat(RequestDocuments.deleteRequest(in).keys()).containsExactly("k");
        assertThat(in.available()).isZero();
    }

    @Test
    void anExternalEntityIsRefusedAndNeverRead() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<Delete><Object><Key>&e;</Key></Object></Delete>";
        assertThatThrownBy(() -> RequestDocuments.deleteRequest(body(xxe)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(S3ErrorCode.MALFORMED_XML));
    }

    @Test
    void aDeleteOfMoreThanAThousandKeysIsMalformed() {
        StringBuilder xml = new StringBuilder("<Delete>");
        for (int i = 0; i <= RequestDocuments.MAX_DELETE_KEYS; i++) {
            xml.append("<Object><Key>k").append(i).append("</Key></Object>");
        }
        assertThatThrownBy(() -> RequestDocuments.deleteRequest(body(xml.append("</Delete>").toString())))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(S3ErrorCode.MALFORMED_XML));
    }

    @Test
    void aPartNumberOutsideOneToTenThousandIsAnInvalidArgument() {
        assertThatThrownBy(() -> RequestDocuments.completedParts(body(
                "<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>a</ETag></Part>"
                        + "</CompleteMultipartUpload>")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo(S3ErrorCode.INVALID_ARGUMENT));
    }
}
