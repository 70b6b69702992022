package io.granary.master.testing;

import io.granary.master.store.RedisMetadataStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Redis for all the tests of a class, registered as a static field:
 * {@code @RegisterExtension static final SharedRedis redis = new SharedRedis("tok");}. It starts a
 * {@link RedisFixture} in a temporary directory of its own before the first test and stops it, and
 * deletes the directory, after the last. Tests stay apart on it by key prefix: each {@link #store()}
 * connects on a prefix ({@code "{" + name + n + "}"}) no other test of the class has used, and every
 * store a test opened is closed after that test, after the test's own {@code @AfterEach} methods.
 * Not thread-safe: the tests of a class run one at a time.
 */
public final class SharedRedis implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    /** The command timeout of the stores {@link #store()} connects. */
    public static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final List<RedisMetadataStore> opened = new ArrayList<>();
    private Path dir;
    private RedisFixture fixture;
    private int prefixes;
    private String prefix;

    /** Names the key prefixes of this class's tests: {@code {name1}}, {@code {name2}}, ... */
    public SharedRedis(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("granary-redis-" + name + "-");
        fixture = RedisFixture.start(dir);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        opened.forEach(RedisMetadataStore::close);
        opened.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (fixture != null) {
                fixture.close();
            }
        } finally {
            TempDirs.deleteTree(dir);
        }
    }

    /** Connects a store on a fresh key prefix with the {@link #STORE_TIMEOUT}; it is closed after the test. */
    public RedisMetadataStore store() {
        return store(STORE_TIMEOUT);
    }

    /** Connects a store on a fresh key prefix with the given command timeout; it is closed after the test. */
    public RedisMetadataStore store(Duration timeout) {
        RedisMetadataStore store = RedisMetadataStore.connect(uri(), timeout, newPrefix());
        opened.add(store);
        return store;
    }

    /** A key prefix no other test of the class has used, for a store or a master the test connects itself. */
    public String newPrefix() {
        prefix = "{" + name + (++prefixes) + "}";
        return prefix;
    }

    /** The prefix last handed out: that of the last {@link #store()}, unless {@link #newPrefix()} came since. */
    public String prefix() {
        return prefix;
    }

    public RedisFixture fixture() {
        return fixture;
    }

    public String uri() {
        return fixture.uri();
    }

}
