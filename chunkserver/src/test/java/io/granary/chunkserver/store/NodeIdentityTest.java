package io.granary.chunkserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {
    @TempDir
    Path dir;

    @Test
    void generatesAnIdOnceAndKeepsItAcrossRestarts() {
        String first = NodeIdentity.resolve(dir, null);

        assertThat(first).matches("cs-[0-9a-f]{8}");
        assertThat(NodeIdentity.resolve(dir, null)).isEqualTo(first);
        assertThat(NodeIdentity.resolve(dir, first)).isEqualTo(first);
    }

    @Test
    void persistsAGivenIdAndRefusesADifferentOneLater() {
        assertThat(NodeIdentity.resolve(dir, "cs-alpha")).isEqualTo("cs-alpha");

        assertThatThrownBy(() -> NodeIdentity.resolve(dir, "cs-beta"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to chunkserver 'cs-alpha', not 'cs-beta'");
        assertThat(NodeIdentity.resolve(dir, null)).isEqualTo("cs-alpha");
    }
}
