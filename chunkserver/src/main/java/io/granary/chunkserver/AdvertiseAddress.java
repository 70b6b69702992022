package io.granary.chunkserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Finds the host a chunkserver advertises when none is configured: the address of this machine that
 * the master (and, on the same network, gateways and other chunkservers) can reach.
 *
 * <p>{@code InetAddress.getLocalHost()} alone is not enough: on many Linux hosts the host name maps to
 * {@code 127.0.1.1}, and a container's host name may not resolve at all. So the first choice is the
 * local address the kernel would use to reach the master (a connected UDP socket sends nothing, it
 * only picks a route): inside a compose network that is the container's own IP on that network, and
 * with a master on loopback it is loopback, which is then right too. Next comes a non-loopback
 * {@code getLocalHost()}, then the first site-local address of an interface that is up.
 */
public final class AdvertiseAddress {
    private AdvertiseAddress() {
    }

    /**
     * The host to advertise for a master at {@code masterHostPort}. Never null; falls back to loopback.
     * Blocks for at most a DNS lookup of the master's host; thread-safe.
     */
    public static String hostFacing(String masterHostPort) {
        return routeTo(masterHostPort)
                .or(AdvertiseAddress::nonLoopbackLocalHost)
                .or(() -> firstUsable(interfaceAddresses()))
                .map(AdvertiseAddress::format)
                .orElse("127.0.0.1");
    }

    /** The local address the kernel picks to reach the master, if the master's host resolves. */
    static Optional<InetAddress> routeTo(String masterHostPort) {
        int colon = masterHostPort.lastIndexOf(':');
        String host = masterHostPort.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(masterHostPort.substring(colon + 1));
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(host), port));
            InetAddress local = socket.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? Optional.empty() : Optional.of(local);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unresolvable or unroutable now: try the other ways
        }
    }

    /**
     * The preferred address among {@code candidates}: site-local IPv4 first, then any non-loopback,
     * non-link-local one.
     */
    static Optional<InetAddress> firstUsable(List<InetAddress> candidates) {
        return candidates.stream().filter(a -> a instanceof Inet4Address && a.isSiteLocalAddress()).findFirst()
                .or(() -> candidates.stream()
                        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress())
                        .findFirst());
    }

    static String format(InetAddress address) {
        String host = address.getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        return address instanceof Inet6Address ? "[" + host + "]" : host;
    }

    private static Optional<InetAddress> nonLoopbackLocalHost() {
        try {
            InetAddress local = InetAddress.getLocalHost();
            return local.isLoopbackAddress() ? Optional.empty() : Optional.of(local);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<InetAddress> interfaceAddresses() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .filter(AdvertiseAddress::isUp)
                    .flatMap(NetworkInterface::inetAddresses)
                    .toList();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isUp(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
