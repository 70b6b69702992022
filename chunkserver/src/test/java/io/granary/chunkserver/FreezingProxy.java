package io.granary.chunkserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A TCP relay on loopback to one address that can go silent: after {@link #freeze()} it relays no
 * byte either way yet closes nothing, as a peer behind a dropped route or on a lost machine looks to
 * the other end. Closing it closes every socket.
 */
final class FreezingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean frozen;

    private FreezingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start("proxy-accept", this::accept);
    }

    /** A relay to {@code host:port}. */
    static FreezingProxy to(String address) throws IOException {
        int colon = address.lastIndexOf(':');
        return new FreezingProxy(new InetSocketAddress(address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1))));
    }

    /** Where clients connect: {@code 127.0.0.1:port}. */
    String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** From now on nothing more is relayed; the sockets stay open. */
    void freeze() {
        frozen = true;
    }

    private static void start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void accept() {
        try {
            while (!listener.isClosed()) {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.addAll(List.of(client, server));
                start("proxy-up", () -> relay(client, server));
                start("proxy-down", () -> relay(server, client));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void relay(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0 && !frozen; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
            closed.await(); // silent, not closed
        } catch (IOException e) {
            // closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
