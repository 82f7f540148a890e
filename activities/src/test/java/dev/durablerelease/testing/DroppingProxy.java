package dev.durablerelease.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy to a server that cuts one connection (the first, unless told otherwise) after the client has
 * sent a given number of bytes, the way a flaky network drops an upload in the middle of a file; other connections
 * pass through untouched.
 */
public final class DroppingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final long dropAfter;
  private final int cut;
  private final AtomicInteger connections = new AtomicInteger();
  private final Thread acceptor;

  private DroppingProxy(ServerSocket listener, int targetPort, long dropAfter, int cut) {
    this.listener = listener;
    this.targetPort = targetPort;
    this.dropAfter = dropAfter;
    this.cut = cut;
    this.acceptor = new Thread(this::accept, "dropping-proxy");
    acceptor.setDaemon(true);
  }

  /** Proxies {@code 127.0.0.1:targetPort}; the first connection is cut after {@code dropAfter} bytes upstream. */
  public static DroppingProxy start(int targetPort, long dropAfter) throws IOException {
    return start(targetPort, dropAfter, 1);
  }

  /** Proxies {@code 127.0.0.1:targetPort}; connection number {@code cut} (from 1) is cut after {@code dropAfter}. */
  public static DroppingProxy start(int targetPort, long dropAfter, int cut) throws IOException {
    DroppingProxy proxy = new DroppingProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), targetPort,
        dropAfter, cut);
    proxy.acceptor.start();
    return proxy;
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** How many connections the proxy has accepted. */
  public int connections() {
    return connections.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        long limit = connections.incrementAndGet() == cut ? dropAfter : Long.MAX_VALUE;
        pump(client, server, limit, "up");
        pump(server, client, Long.MAX_VALUE, "down");
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void pump(Socket from, Socket to, long limit, String name) {
    Thread thread = new Thread(() -> {
      long sent = 0;
      byte[] buffer = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          int allowed = (int) Math.min(n, limit - sent);
          out.write(buffer, 0, allowed);
          sent += allowed;
          if (sent >= limit) {
            break;
          }
        }
      } catch (IOException e) {
        // the other side closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "dropping-proxy-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
