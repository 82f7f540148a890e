package dev.durablerelease.publish;

import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.policy.TargetPolicy;
import dev.durablerelease.store.Digests;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileAlreadyExistsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code https://[user@]host/path/} target: a WebDAV folder (nginx's dav module, Apache mod_dav, a Maven-style
 * repository that speaks WebDAV) written with PUT, staged files moved into place with MOVE; basic authentication with
 * the user from the URL and the policy's password reference. Throttling (429, 503) is retried here, after the server's
 * Retry-After when it gives one.
 */
final class WebDavTarget implements PublishTarget {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int THROTTLED_TRIES = 4;
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);

  private final String url;
  private final URI base;
  private final String user;
  private final String authorization;
  private final Pause pause;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** How the target waits before it asks a throttling server again. */
  @FunctionalInterface
  interface Pause {
    Pause SLEEP = wait -> {
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting to retry");
      }
    };

    void pause(Duration wait) throws InterruptedIOException;
  }

  private WebDavTarget(String url, URI base, String user, String authorization, Pause pause) {
    this.url = url;
    this.base = base;
    this.user = user;
    this.authorization = authorization;
    this.pause = pause;
  }

  static WebDavTarget open(TargetPolicy target, Map<String, String> env) {
    return open(target, env, Pause.SLEEP);
  }

  /** @param pause how to wait when the server asks to be asked later */
  static WebDavTarget open(TargetPolicy target, Map<String, String> env, Pause pause) {
    URI uri = URI.create(target.url());
    String user = uri.getUserInfo();
    String authorization = null;
    if (user != null) {
      String password = target.password() == null ? "" : References.resolve(target.password(), "password", env);
      authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
          .getBytes(StandardCharsets.UTF_8));
    }
    try {
      URI base = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
      return new WebDavTarget(target.url(), base, user, authorization, pause);
    } catch (URISyntaxException e) {
      throw new StageFailure(Failures.INVALID_SPEC, target.url() + " is not a valid URL: " + e.getReason());
    }
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public long size(String path) throws IOException {
    HttpResponse<Void> response = send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()),
        HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() == 404) {
      return -1;
    }
    expect(response, "HEAD", path, 200);
    return response.headers().firstValueAsLong("Content-Length").orElse(-1);
  }

  @Override
  public Optional<String> sha256(String path) throws IOException {
    HttpResponse<InputStream> response = send(request(path).GET(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (response.statusCode() == 404) {
        return Optional.empty();
      }
      expect(response, "GET", path, 200);
      return Optional.of(Digests.sha256Hex(in));
    }
  }

  @Override
  public InputStream read(String path) throws IOException {
    HttpResponse<InputStream> response = send(request(path).GET(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      closeBody(response);
      expect(response, "GET", path, 200);
    }
    return response.body();
  }

  @Override
  public void write(String path, long size, String sha256, Content content) throws IOException {
    makeFolder(resolve(path.substring(0, path.lastIndexOf('/') + 1)));
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> {
          try {
            return content.open();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }), size);
    expect(send(request(path).PUT(body), HttpResponse.BodyHandlers.discarding()), "PUT", path, 200, 201, 204);
  }

  /** {@code Overwrite: F}: the server answers 412 instead of replacing what is at the destination (RFC 4918). */
  @Override
  public void move(String from, String to) throws IOException {
    HttpResponse<Void> response = send(request(from).method("MOVE", HttpRequest.BodyPublishers.noBody())
        .header("Destination", resolve(to).toString()).header("Overwrite", "F"), HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() == 412) {
      throw new FileAlreadyExistsException(url + to, null, "a file appeared there after the check; the server"
          + " refused to replace it (MOVE with Overwrite: F answered HTTP 412)");
    }
    expect(response, "MOVE", from, 201, 204);
  }

  @Override
  public void delete(String path) throws IOException {
    HttpResponse<Void> response = send(request(path).DELETE(), HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 404) {
      expect(response, "DELETE", path, 200, 204);
    }
  }

  @Override
  public void deleteFolder(String path) throws IOException {
    String folder = path.endsWith("/") ? path : path + "/";
    HttpResponse<Void> response = send(request(folder).DELETE(), HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 404) {
      expect(response, "DELETE", folder, 200, 204);
    }
  }

  @Override
  public void close() {
    // HttpClient holds no connection we must give back on Java 17
  }

  /** MKCOL, making missing parents first (409 says one is missing); 405 means it is there already. */
  private void makeFolder(URI folder) throws IOException {
    for (int tries = 0; ; tries++) {
      HttpResponse<Void> response = send(request(folder).method("MKCOL", HttpRequest.BodyPublishers.noBody()),
          HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 409 && tries == 0 && !folder.getPath().equals("/")) {
        makeFolder(folder.resolve(".."));
        continue;
      }
      expect(response, "MKCOL", folder.getPath(), 201, 405);
      return;
    }
  }

  private HttpRequest.Builder request(String path) {
    return request(resolve(path));
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT);
    return authorization == null ? builder : builder.header("Authorization", authorization);
  }

  private URI resolve(String path) {
    try {
      return base.resolve(new URI(null, null, path, null).getRawPath());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a path: " + path, e);
    }
  }

  /** Sends a request; refused credentials fail for good, throttling waits as the server asks and tries again. */
  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    for (int tries = 1; ; tries++) {
      HttpResponse<T> response;
      try {
        response = http.send(request.build(), handler);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while talking to " + url);
      }
      int status = response.statusCode();
      if (status == 401 || status == 403) {
        closeBody(response);
        throw new StageFailure(Failures.TARGET_REFUSED, url + ": the server refused " + (user == null
            ? "anonymous access" : "user " + user + " with the password given") + " (HTTP " + status + "); check"
            + " the user in the URL, the password reference and the server's access rules");
      }
      if ((status == 429 || status == 503) && tries < THROTTLED_TRIES) {
        closeBody(response);
        Duration wait = retryAfter(response).orElse(Duration.ofSeconds(1L << tries));
        if (wait.compareTo(MAX_RETRY_AFTER) > 0) {
          throw new IOException(url + ": the server is busy (HTTP " + status + ") and asks to wait " + wait);
        }
        pause.pause(wait);
        continue;
      }
      return response;
    }
  }

  private static Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").map(value -> {
      try {
        return Duration.ofSeconds(Long.parseLong(value.trim()));
      } catch (NumberFormatException notSeconds) {
        try {
          Duration until = Duration.between(ZonedDateTime.now(),
              ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
          return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException notADate) {
          return null;
        }
      }
    });
  }

  private void expect(HttpResponse<?> response, String method, String path, int... statuses) throws IOException {
    for (int status : statuses) {
      if (response.statusCode() == status) {
        return;
      }
    }
    throw new IOException(url + ": " + method + " " + path + " answered HTTP " + response.statusCode());
  }

  private static void closeBody(HttpResponse<?> response) throws IOException {
    if (response.body() instanceof Closeable body) {
      body.close();
    }
  }
}
