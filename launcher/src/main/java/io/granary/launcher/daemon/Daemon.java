package io.granary.launcher.daemon;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a role running until the JVM is asked to stop (Ctrl-C, SIGTERM from {@code docker stop}),
 * then closes what it started in reverse order, so data is flushed and ports are freed.
 */
public final class Daemon {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private Daemon() {
    }

    /** Blocks until shutdown; {@code parts} are closed last-first from the shutdown hook. */
    public static int runUntilShutdown(String name, List<? extends AutoCloseable> parts) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        List<AutoCloseable> reversed = new ArrayList<>(parts);
        Collections.reverse(reversed);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("{}: shutting down", name);
            closeAll(name, reversed);
            stopped.countDown();
        }, name + "-shutdown"));
        stopped.await();
        return 0;
    }

    public static void closeAll(String name, List<? extends AutoCloseable> parts) {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                log.warn("{}: error while stopping {}: {}", name, part.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
