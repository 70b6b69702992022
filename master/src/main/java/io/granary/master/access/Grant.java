package io.granary.master.access;

import io.granary.common.GranaryPath;
import io.granary.common.net.Cidr;
import java.net.InetAddress;

/**
 * An IP grant: addresses in {@code cidr} may read {@code path} (a file, or everything under a
 * directory) without a token until {@code expiresMs}.
 *
 * @param id        32 hex digits
 * @param path      the file or directory opened; the root opens everything
 * @param cidr      who may read
 * @param createdMs creation time, ms since the epoch
 * @param expiresMs end of validity, ms since the epoch (exclusive)
 * @param creator   the principal that made it
 */
public record Grant(String id, GranaryPath path, Cidr cidr, long createdMs, long expiresMs, String creator) {

    /** Whether this grant lets {@code address} read {@code file} at {@code nowMs}. */
    public boolean allows(GranaryPath file, InetAddress address, long nowMs) {
        return nowMs < expiresMs && covers(file) && cidr.contains(address);
    }

    /** Whether {@code file} is the granted path or lies under it. */
    public boolean covers(GranaryPath file) {
        return path.isRoot() || file.equals(path) || file.value().startsWith(path.value() + "/");
    }
}
