package io.granary.master.store;

import java.util.regex.Pattern;

/**
 * Redis URIs as Granary writes and logs them. A URI may carry credentials
 * ({@code redis://:password@host:port}, {@code redis://user:password@host:port}, {@code rediss://…});
 * every log line and error message shows it through {@link #masked(String)}, never as given.
 */
public final class RedisUris {
    private static final Pattern USER_INFO = Pattern.compile("//[^@/]*@");

    private RedisUris() {
    }

    /** {@code redis://:PASSWORD@127.0.0.1:PORT}: a Redis on this machine that demands {@code password}. */
    public static String loopback(int port, String password) {
        return "redis://:" + password + "@127.0.0.1:" + port;
    }

    /**
     * {@code uri} with its user info (user and password) replaced by {@code ***}; a URI without
     * credentials is returned as it is. Null stays null.
     */
    public static String masked(String uri) {
        return uri == null ? null : USER_INFO.matcher(uri).replaceFirst("//***@");
    }
}
