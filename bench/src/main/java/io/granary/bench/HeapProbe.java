package io.granary.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The Java heap high-water mark of another JVM on this machine (same user), read through the JDK's
 * attach API: it starts that JVM's local management agent and reads, over JMX, the peak usage that
 * the JVM itself tracks for each heap pool ({@link MemoryPoolMXBean#getPeakUsage()}, kept by the GC
 * at every collection, so no sampling gap). The figure is the sum of the heap pools' peaks (for G1:
 * eden, survivor, old): an upper bound of the heap's peak, since the pools peak at different moments.
 * Works on a plain JDK 17 without flags on the target.
 */
final class HeapProbe implements AutoCloseable {
    private final JMXConnector connector;
    private final List<MemoryPoolMXBean> heapPools;

    private HeapProbe(JMXConnector connector, List<MemoryPoolMXBean> heapPools) {
        this.connector = connector;
        this.heapPools = heapPools;
    }

    /**
     * Attaches to the JVM with process id {@code pid}.
     *
     * @throws IOException when it cannot be attached to (another user, not a HotSpot JVM, attach disabled)
     */
    static HeapProbe attach(long pid) throws IOException {
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (com.sun.tools.attach.AttachNotSupportedException e) {
            throw new IOException("cannot attach to JVM " + pid + ": " + e.getMessage(), e);
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MBeanServerConnection server = connector.getMBeanServerConnection();
        List<MemoryPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(server, MemoryPoolMXBean.class).stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();
        return new HeapProbe(connector, pools);
    }

    /** Sum of the heap pools' peak usage since the JVM started, in bytes. */
    long peakHeapBytes() {
        return heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException e) {
            // the JVM is going away: nothing to release
        }
    }
}
