package io.granary.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientOptionsTest {
    private static final String TOKEN = "gr_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5";

    @Test
    void aTokenIsKeptButNeverShown() {
        ClientOptions options = ClientOptions.defaults().withToken(TOKEN).withName("app");

        assertThat(options.token()).isEqualTo(TOKEN);
        assertThat(options.toString()).doesNotContain(TOKEN).contains("token=***", "name=app");
        assertThat(ClientOptions.defaults().token()).isEqualTo(ClientOptions.NO_TOKEN);
        assertThat(ClientOptions.defaults().toString()).contains("token=none");
    }

    @Test
    void aMalformedTokenIsRefusedWithoutBeingShown() {
        for (String bad : new String[] {"short", "gr_with spaces in it and more", null}) {
            assertThatThrownBy(() -> ClientOptions.defaults().withToken(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("granary token create")
                    .satisfies(e -> {
                        if (bad != null) {
                            assertThat(e).hasMessageNotContaining(bad);
                        }
                    });
        }
    }
}
