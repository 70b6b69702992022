package io.granary.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.client.ClientOptions;
import io.granary.client.GranaryClient;
import io.granary.client.fake.FakeAuth;
import io.granary.client.fake.FakeCluster;
import io.granary.gateway.GatewayServer;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.TestCase;
import io.javalin.testtools.TestConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Random;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The gateway's app over a client of an in-process fake cluster (master + 3 chunkservers). */
public final class GatewayFixture implements AutoCloseable, AfterEachCallback {
    public static final int CHUNK = (int) io.granary.client.fake.FakeMaster.DEFAULT_CHUNK_SIZE;
    private static final ObjectMapper JSON = new ObjectMapper();

    public final FakeCluster cluster = FakeCluster.start(3);
    /** Busy chunkservers are waited for half a second, well within the tests' HTTP timeouts, then 503. */
    public final GranaryClient client = cluster.client(ClientOptions.defaults().withPieceSizeBytes(16 * 1024)
            .withReadAheadBytes(32 * 1024).withChunkIdleTimeout(Duration.ofSeconds(5))
            .withBusyPatience(Duration.ofMillis(500)));
    public final Javalin app = GatewayServer.createApp(client);
    /** The fake cluster's admin token, as a header line for {@code RawHttp}. */
    public static final String AUTH = "Authorization: Bearer " + FakeAuth.ADMIN_TOKEN + "\r\n";

    /**
     * Runs {@code test} against the app with an HTTP client that sends the admin token on every request
     * that does not carry an Authorization header of its own.
     */
    public void test(TestCase test) {
        test(app, test);
    }

    /** Like {@link #test(TestCase)}, against another app over the same fake cluster. */
    public void test(Javalin app, TestCase test) {
        OkHttpClient http = new OkHttpClient.Builder()
                .addInterceptor(chain -> chain.proceed(chain.request().header("Authorization") != null
                        ? chain.request()
                        : chain.request().newBuilder().header("Authorization", "Bearer " + FakeAuth.ADMIN_TOKEN).build()))
                .build();
        JavalinTest.test(app, new TestConfig(true, true, http), test);
    }

    public static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    public static Response put(HttpClient http, String path, byte[] content, String contentType) {
        MediaType type = contentType == null ? null : MediaType.get(contentType);
        return http.request(path, b -> b.put(RequestBody.create(content, type)));
    }

    public static JsonNode json(Response response) {
        try {
            return JSON.readTree(response.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(Response response) {
        try {
            return response.body().bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registered with {@code @RegisterExtension}, it closes itself after each test. */
    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        client.close();
        cluster.close();
    }
}
