package dev.durablerelease.testing;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.util.FileUtils;

/**
 * A small WebDAV server on loopback (the JDK's HTTP server) serving a test's folder under {@code /dav/}: GET, HEAD,
 * PUT, MKCOL, MOVE and DELETE, with basic authentication. It can answer the next PUTs with 503 and a Retry-After, the
 * way a busy repository throttles uploads.
 */
public final class WebDavServer implements AutoCloseable {
  public static final String USER = "deployer";

  private final HttpServer server;
  private final Path root;
  private final AtomicInteger throttledPuts = new AtomicInteger();
  private final AtomicInteger puts = new AtomicInteger();

  private WebDavServer(HttpServer server, Path root) {
    this.server = server;
    this.root = root;
  }

  public static WebDavServer start(Path root, String password) throws IOException {
    Files.createDirectories(root);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    WebDavServer dav = new WebDavServer(server, root);
    server.createContext("/dav/", dav::handle).setAuthenticator(new BasicAuthenticator("dav") {
      @Override
      public boolean checkCredentials(String user, String pass) {
        return USER.equals(user) && password.equals(pass);
      }
    });
    server.start();
    return dav;
  }

  /** {@code http://deployer@127.0.0.1:PORT/dav/<path>} */
  public String url(String path) {
    return "http://" + USER + "@127.0.0.1:" + server.getAddress().getPort() + "/dav/" + path;
  }

  /** The folder that {@code /dav/} serves. */
  public Path root() {
    return root;
  }

  /** The next {@code count} PUTs are answered 503 with {@code Retry-After: 1}. */
  public void throttleNextPuts(int count) {
    throttledPuts.set(count);
  }

  /** PUTs received, throttled ones included. */
  public int puts() {
    return puts.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Path file = file(exchange.getRequestURI());
      if (file == null) {
        exchange.sendResponseHeaders(403, -1);
        return;
      }
      switch (exchange.getRequestMethod()) {
        case "GET", "HEAD" -> {
          if (!Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            return;
          }
          boolean head = exchange.getRequestMethod().equals("HEAD");
          exchange.getResponseHeaders().set("Content-Length", String.valueOf(Files.size(file)));
          exchange.sendResponseHeaders(200, head ? -1 : Files.size(file));
          if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
              Files.copy(file, out);
            }
          }
        }
        case "PUT" -> {
          puts.incrementAndGet();
          if (throttledPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            exchange.getResponseHeaders().set("Retry-After", "1");
            exchange.sendResponseHeaders(503, -1);
            return;
          }
          if (!Files.isDirectory(file.getParent())) {
            exchange.sendResponseHeaders(409, -1);
            return;
          }
          boolean existed = Files.exists(file);
          try (InputStream in = exchange.getRequestBody()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
          }
          exchange.sendResponseHeaders(existed ? 204 : 201, -1);
        }
        case "MKCOL" -> {
          if (Files.exists(file)) {
            exchange.sendResponseHeaders(405, -1);
          } else if (!Files.isDirectory(file.getParent())) {
            exchange.sendResponseHeaders(409, -1);
          } else {
            Files.createDirectory(file);
            exchange.sendResponseHeaders(201, -1);
          }
        }
        case "MOVE" -> {
          Path destination = file(URI.create(exchange.getRequestHeaders().getFirst("Destination")));
          if (destination == null || !Files.exists(file)) {
            exchange.sendResponseHeaders(destination == null ? 403 : 404, -1);
          } else if (Files.exists(destination) && "F".equals(exchange.getRequestHeaders().getFirst("Overwrite"))) {
            exchange.sendResponseHeaders(412, -1);
          } else {
            Files.move(file, destination, StandardCopyOption.ATOMIC_MOVE);
            exchange.sendResponseHeaders(201, -1);
          }
        }
        case "DELETE" -> {
          if (!Files.exists(file)) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            FileUtils.delete(file.toFile(), FileUtils.RECURSIVE);
            exchange.sendResponseHeaders(204, -1);
          }
        }
        default -> exchange.sendResponseHeaders(405, -1);
      }
    }
  }

  /** The file a request path names, or null when it would leave the served folder. */
  private Path file(URI uri) {
    String path = uri.getPath().substring("/dav/".length());
    Path file = root.resolve(path).normalize();
    return file.startsWith(root) ? file : null;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
