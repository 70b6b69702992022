package io.granary.client;

import static io.granary.client.TestData.randomBytes;
import static io.granary.client.TestData.sha256Hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyReaderTest {
    private static final int PIECE = 1024 * 1024;

    @ParameterizedTest
    @ValueSource(ints = {1, 4096, BodyReader.FIRST_PROBE_BYTES, BodyReader.FIRST_PROBE_BYTES + 1, PIECE, 3 * PIECE + 5})
    void cutsAnyBodyIntoFullPiecesButTheLastWhateverTheFirstPieceIsReadInto(int size) {
        byte[] body = randomBytes(size);
        BodyReader reader = new BodyReader(new ByteArrayInputStream(body), false);

        List<ByteString> pieces = new ArrayList<>();
        for (ByteString piece; (piece = reader.next(PIECE)) != null; ) {
            pieces.add(piece);
        }

        assertThat(pieces.subList(0, pieces.size() - 1)).allSatisfy(p -> assertThat(p.size()).isEqualTo(PIECE));
        assertThat(ByteString.copyFrom(pieces).toByteArray()).isEqualTo(body);
        assertThat(reader.sha256Hex()).isEqualTo(sha256Hex(body));
    }

    @Test
    void anEmptyBodyHasNoPiece() {
        assertThat(new BodyReader(new ByteArrayInputStream(new byte[0]), false).next(PIECE)).isNull();
    }
}
