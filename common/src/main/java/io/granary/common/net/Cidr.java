package io.granary.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address
 * is the block of that one address. Parsing never touches DNS: only literals are accepted. An IPv4
 * block never contains an IPv6 address and vice versa (IPv4-mapped IPv6 literals such as
 * {@code ::ffff:10.0.0.1} are IPv4 addresses to Java, so they match IPv4 blocks). Immutable.
 *
 * @param network the block's first address (host bits cleared)
 * @param prefix  the number of leading bits that must match
 */
public record Cidr(InetAddress network, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix /" + prefix + " is not between 0 and " + bits);
        }
        network = masked(network, prefix);
    }

    /**
     * Parses {@code address} or {@code address/prefix}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an IP address or CIDR block is required");
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        InetAddress address = address(slash < 0 ? trimmed : trimmed.substring(0, slash));
        int bits = address.getAddress().length * 8;
        if (slash < 0) {
            return new Cidr(address, bits);
        }
        String prefixText = trimmed.substring(slash + 1);
        if (!prefixText.matches("\\d{1,3}")) {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length after '/'");
        }
        return new Cidr(address, Integer.parseInt(prefixText));
    }

    /**
     * An IP literal, IPv4 dotted quad or IPv6, without any DNS lookup.
     *
     * @throws IllegalArgumentException when {@code text} is not an IP literal
     */
    public static InetAddress address(String text) {
        String literal = text.trim();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        boolean v4 = IPV4.matcher(literal).matches();
        boolean v6 = literal.contains(":") && IPV6.matcher(literal).matches();
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        if (v4) {
            for (String part : literal.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not an IP address");
                }
            }
        }
        try {
            // A literal (checked above) is parsed, never looked up.
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
        }
    }

    /** Whether {@code address} lies in this block. */
    public boolean contains(InetAddress address) {
        if (address.getAddress().length != network.getAddress().length) {
            return false;
        }
        return masked(address, prefix).equals(network);
    }

    private static InetAddress masked(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }

    /** The canonical text, e.g. {@code 10.0.0.0/8} or {@code 2001:db8:0:0:0:0:0:0/32}. */
    @Override
    public String toString() {
        return network.getHostAddress().toLowerCase(Locale.ROOT) + "/" + prefix;
    }
}
