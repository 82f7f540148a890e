package dev.durablerelease.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.authenticator.BasicAuthenticator;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.WebdavServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;

/**
 * A real WebDAV server on loopback: Tomcat's WebdavServlet, writable, serving a test's folder under {@code /dav/}
 * behind basic authentication. A filter in front can answer the next PUTs with 503 and a Retry-After, the way a busy
 * repository throttles uploads (a fault a healthy server does not produce on demand).
 */
public final class WebDavServer implements AutoCloseable {
  public static final String USER = "deployer";
  private static final String ROLE = "deployer";

  private final Tomcat tomcat;
  private final Path root;
  private final int port;
  private final AtomicInteger throttledPuts;
  private final AtomicBoolean refusedPuts;
  private final AtomicInteger puts;
  private final AtomicBoolean refusedMoves;

  private final Set<String> refusedPrefixes;
  private final List<String> storedPuts;

  private WebDavServer(Tomcat tomcat, Path root, int port, AtomicInteger throttledPuts, AtomicBoolean refusedPuts,
      AtomicInteger puts, AtomicBoolean refusedMoves, Set<String> refusedPrefixes, List<String> storedPuts) {
    this.tomcat = tomcat;
    this.root = root;
    this.port = port;
    this.throttledPuts = throttledPuts;
    this.refusedPuts = refusedPuts;
    this.puts = puts;
    this.refusedMoves = refusedMoves;
    this.refusedPrefixes = refusedPrefixes;
    this.storedPuts = storedPuts;
  }

  public static WebDavServer start(Path root, String password) throws IOException {
    Files.createDirectories(root);
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createDirectories(root.resolveSibling(root.getFileName() + "-tomcat")).toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);

    Context context = tomcat.addContext("/dav", root.toString());
    Wrapper webdav = Tomcat.addServlet(context, "webdav", new WebdavServlet());
    webdav.addInitParameter("readonly", "false");
    context.addServletMappingDecoded("/*", "webdav");

    tomcat.addUser(USER, password);
    tomcat.addRole(USER, ROLE);
    context.setRealm(tomcat.getEngine().getRealm());
    LoginConfig login = new LoginConfig();
    login.setAuthMethod("BASIC");
    login.setRealmName("dav");
    context.setLoginConfig(login);
    SecurityConstraint constraint = new SecurityConstraint();
    constraint.addAuthRole(ROLE);
    SecurityCollection everything = new SecurityCollection();
    everything.addPattern("/*");
    constraint.addCollection(everything);
    context.addConstraint(constraint);
    context.addSecurityRole(ROLE);
    context.getPipeline().addValve(new BasicAuthenticator());

    AtomicInteger throttledPuts = new AtomicInteger();
    AtomicBoolean refusedPuts = new AtomicBoolean();
    AtomicInteger puts = new AtomicInteger();
    AtomicBoolean refusedMoves = new AtomicBoolean();
    Set<String> refusedPrefixes = ConcurrentHashMap.newKeySet();
    List<String> storedPuts = new CopyOnWriteArrayList<>();
    Filter throttle = (request, response, chain) -> {
      if ("MOVE".equals(((HttpServletRequest) request).getMethod()) && refusedMoves.get()) {
        ((HttpServletResponse) response).sendError(403);
        return;
      }
      if ("PUT".equals(((HttpServletRequest) request).getMethod())) {
        puts.incrementAndGet();
        String path = ((HttpServletRequest) request).getPathInfo();
        if (refusedPuts.get() || refusedPrefixes.stream().anyMatch(p -> path != null && path.startsWith(p))) {
          request.getInputStream().transferTo(OutputStream.nullOutputStream());
          ((HttpServletResponse) response).sendError(403);
          return;
        }
        if (throttledPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          request.getInputStream().transferTo(OutputStream.nullOutputStream());
          ((HttpServletResponse) response).setHeader("Retry-After", "1");
          ((HttpServletResponse) response).sendError(503);
          return;
        }
        chain.doFilter(request, response);
        if (((HttpServletResponse) response).getStatus() / 100 == 2) {
          storedPuts.add(path);
        }
        return;
      }
      chain.doFilter(request, response);
    };
    FilterDef def = new FilterDef();
    def.setFilterName("throttle");
    def.setFilter(throttle);
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("throttle");
    map.addURLPattern("/*");
    context.addFilterMap(map);

    try {
      tomcat.start();
    } catch (LifecycleException e) {
      throw new IOException("Tomcat did not start", e);
    }
    return new WebDavServer(tomcat, root, connector.getLocalPort(), throttledPuts, refusedPuts, puts, refusedMoves,
        refusedPrefixes, storedPuts);
  }

  /** {@code http://deployer@127.0.0.1:PORT/dav/<path>} */
  public String url(String path) {
    return "http://" + USER + "@127.0.0.1:" + port + "/dav/" + path;
  }

  /** The folder that {@code /dav/} serves. */
  public Path root() {
    return root;
  }

  /** The next {@code count} PUTs are answered 503 with {@code Retry-After: 1}. */
  public void throttleNextPuts(int count) {
    throttledPuts.set(count);
  }

  /** From now on, PUTs are answered 403 (as a server over its quota, or allowing uploads to no one, does). */
  public void refusePuts() {
    refusedPuts.set(true);
  }

  /** From now on, MOVEs are answered 403 (as a server whose rules allow uploads but not renames does). */
  public void refuseMoves() {
    refusedMoves.set(true);
  }

  /** From now on, PUTs of paths under {@code /prefix} are answered 403, until {@link #acceptPutsUnder}. */
  public void refusePutsUnder(String prefix) {
    refusedPrefixes.add("/" + prefix);
  }

  public void acceptPutsUnder(String prefix) {
    refusedPrefixes.remove("/" + prefix);
  }

  /** The path (under {@code /dav}) of every PUT the server stored, in order: a file sent twice is there twice. */
  public List<String> storedPuts() {
    return List.copyOf(storedPuts);
  }

  /** PUTs received, throttled ones included. */
  public int puts() {
    return puts.get();
  }

  @Override
  public void close() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
