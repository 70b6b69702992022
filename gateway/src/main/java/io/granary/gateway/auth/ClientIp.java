package io.granary.gateway.auth;

import io.granary.gateway.http.RequestTracing;
import io.granary.common.net.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * Decides a request's client address, the one thing IP grants, address-bound presigned URLs, the
 * authentication-failure limit and the logs use. It is the socket's peer, unless the peer is a
 * configured trusted proxy: then {@code X-Forwarded-For} is read from the right, skipping trusted
 * proxies, and the first address that is not one is the client. Everything left of it was written
 * by the client and is ignored, so a client cannot pretend to be someone else by sending the header
 * itself. Immutable and thread-safe.
 */
public final class ClientIp {
    public static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final String ATTRIBUTE = "granary.clientIp";

    private final List<Cidr> trustedProxies;

    public ClientIp(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * The client address.
     *
     * @param peer         the socket's remote address (an IP literal)
     * @param forwardedFor every {@value #FORWARDED_FOR} header value, in order
     */
    public InetAddress decide(String peer, Enumeration<String> forwardedFor) {
        InetAddress client = Cidr.address(peer);
        if (!trusted(client) || forwardedFor == null) {
            return client;
        }
        List<String> hops = new ArrayList<>();
        while (forwardedFor.hasMoreElements()) {
            for (String hop : forwardedFor.nextElement().split(",")) {
                hops.add(hop.trim());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop;
            try {
                hop = Cidr.address(hops.get(i));
            } catch (IllegalArgumentException e) {
                // Garbage in the chain: the last address a trusted hop vouched for is all we know.
                return client;
            }
            client = hop;
            if (!trusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** Decides the address of {@code ctx}'s client and keeps it on the context for {@link #of}. */
    public InetAddress remember(io.javalin.http.Context ctx) {
        InetAddress client = decide(ctx.req().getRemoteAddr(), ctx.req().getHeaders(FORWARDED_FOR));
        ctx.attribute(ATTRIBUTE, client);
        RequestTracing.clientAddress(ctx, client.getHostAddress());
        return client;
    }

    /** The client address decided for this request (the peer's, if nothing was decided yet). */
    public static InetAddress of(io.javalin.http.Context ctx) {
        InetAddress client = ctx.attribute(ATTRIBUTE);
        return client != null ? client : Cidr.address(ctx.req().getRemoteAddr());
    }

    private boolean trusted(InetAddress address) {
        for (Cidr proxy : trustedProxies) {
            if (proxy.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Parses a comma-separated CIDR list such as {@code 10.0.0.0/8, 192.168.1.7}; blank is none. */
    public static List<Cidr> parseList(String text) {
        List<Cidr> blocks = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    blocks.add(Cidr.parse(part));
                }
            }
        }
        return List.copyOf(blocks);
    }

    @Override
    public String toString() {
        return trustedProxies.isEmpty() ? "no trusted proxies" : "trusted proxies " + trustedProxies;
    }
}
