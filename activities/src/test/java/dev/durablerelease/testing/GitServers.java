package dev.durablerelease.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PreUploadHook;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;
import org.eclipse.jgit.transport.UploadPack;

/** Git servers on loopback that repositories are fetched from over a real transport, as from a git host. */
public final class GitServers {
  private GitServers() {}

  /** A server; {@link #url} names a repository under its base folder. */
  public interface Server extends AutoCloseable {
    String url(String name);

    @Override
    void close();
  }

  /** C git's {@code git daemon} (the same {@code upload-pack} as git hosts run) serving every repository of base. */
  public static Server gitDaemon(Path base) throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Process daemon = new ProcessBuilder("git", "daemon", "--listen=127.0.0.1", "--port=" + port, "--export-all",
        "--reuseaddr", "--base-path=" + base, base.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    waitUntilListening(port, daemon);
    return new Server() {
      @Override
      public String url(String name) {
        return "git://127.0.0.1:" + port + "/" + name;
      }

      @Override
      public void close() {
        daemon.descendants().forEach(ProcessHandle::destroy);
        daemon.destroy();
        try {
          daemon.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  /**
   * JGit's git:// daemon serving every repository of base, with a hook that refuses shallow fetches (depth) with an
   * error, as servers that do not serve them answer.
   */
  public static Server refusingShallowFetches(Path base) throws IOException {
    Daemon daemon = new Daemon(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    daemon.getService("git-upload-pack").setEnabled(true);
    daemon.setRepositoryResolver((client, name) -> {
      try {
        return new FileRepositoryBuilder().setGitDir(base.resolve(name.replaceFirst("^/+", "")).toFile())
            .setMustExist(true).build();
      } catch (IOException e) {
        throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name, e);
      }
    });
    daemon.setUploadPackFactory((client, repository) -> refusingDepth(repository));
    daemon.start();
    int port = daemon.getAddress().getPort();
    return new Server() {
      @Override
      public String url(String name) {
        return "git://127.0.0.1:" + port + "/" + name;
      }

      @Override
      public void close() {
        try {
          daemon.stopAndWait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  private static UploadPack refusingDepth(Repository repository) {
    UploadPack uploadPack = new UploadPack(repository);
    uploadPack.setPreUploadHook(new PreUploadHook() {
      @Override
      public void onBeginNegotiateRound(UploadPack up, Collection<? extends ObjectId> wants, int cntOffered) {}

      @Override
      public void onEndNegotiateRound(UploadPack up, Collection<? extends ObjectId> wants, int cntCommon,
          int cntNotFound, boolean ready) {}

      @Override
      public void onSendPack(UploadPack up, Collection<? extends ObjectId> wants,
          Collection<? extends ObjectId> haves) throws ServiceMayNotContinueException {
        if (up.getDepth() > 0) {
          throw new ServiceMayNotContinueException("shallow fetches are not served here");
        }
      }
    });
    return uploadPack;
  }

  /**
   * An HTTP server whose every path requires a login that no one has: a git host's answer to a client without
   * (or with wrong) credentials.
   */
  public static Server requiringLogin() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
      exchange.sendResponseHeaders(401, -1);
      exchange.close();
    });
    http.start();
    int port = http.getAddress().getPort();
    return new Server() {
      @Override
      public String url(String name) {
        return "http://127.0.0.1:" + port + "/" + name;
      }

      @Override
      public void close() {
        http.stop(0);
      }
    };
  }

  private static void waitUntilListening(int port, Process process) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("git daemon exited with " + process.exitValue());
      }
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new UncheckedIOException(e);
        }
      }
    }
    process.destroy();
    throw new IOException("git daemon did not listen on port " + port);
  }
}
