package appealhub.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL, a broker) that a test can cut:
 * while cut, open connections are closed and new ones are refused, as when the server's host goes
 * away; {@link #restore()} lets connections through again. The server itself is never touched.
 */
public final class CuttableProxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    public CuttableProxy(int targetPort) {
        this.targetPort = targetPort;
        this.port = TestHub.freePort();
        restore();
    }

    public int port() {
        return port;
    }

    /** The server is gone: every connection through the proxy breaks, new ones are refused. */
    public synchronized void cut() {
        closeQuietly(server);
        server = null;
        for (Socket s : open) closeQuietly(s);
        open.clear();
    }

    public synchronized void restore() {
        if (server != null) return;
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
            Thread acceptor = new Thread(() -> accept(s), "proxy-accept-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                if (!register(s, client, target)) return;
                pump(client, target);
                pump(target, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    /**
     * A connection accepted just before {@link #cut()} must not slip through: registration and
     * the cut hold the same lock, and a connection whose listener was cut meanwhile is closed.
     */
    private synchronized boolean register(ServerSocket listener, Socket client, Socket target) {
        if (server != listener) {
            closeQuietly(client);
            closeQuietly(target);
            return false;
        }
        open.add(client);
        open.add(target);
        return true;
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException broken) {
                // the other side went, or the proxy was cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-pump-" + port);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            if (c != null) c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        cut();
    }
}
