package dev.durablerelease.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.manifest.ManifestWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A release published at an http(s) folder, copied into a local folder so that it is verified as a folder is: its
 * {@code release.json} names every file and bundle, and each is fetched beside it.
 */
final class ReleaseDownload {
  /** A plain file name: what release.json may name, never a path that leaves the folder. */
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_+@-][A-Za-z0-9._+@-]*");
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private ReleaseDownload() {}

  static boolean isUrl(String location) {
    return location.startsWith("https://") || location.startsWith("http://");
  }

  /** Fetches the release at {@code url} (the folder release.json is in) into {@code into}. */
  static void fetch(String url, Path into) throws IOException, InterruptedException {
    URI base = URI.create(url.endsWith("/") ? url : url + "/");
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30)).build();
    Path manifest = get(http, base, ManifestWriter.RELEASE_JSON, into);
    Set<String> names = new LinkedHashSet<>();
    names.add(ManifestWriter.SHA256SUMS);
    for (JsonNode artifact : new ObjectMapper().readTree(manifest.toFile()).path("artifacts")) {
      names.add(artifact.path("name").asText());
      if (artifact.hasNonNull("bundle")) {
        names.add(artifact.get("bundle").asText());
      }
    }
    for (String name : names) {
      if (!FILE_NAME.matcher(name).matches()) {
        throw new UserError(base + ManifestWriter.RELEASE_JSON + " names \"" + name + "\", which is not a file name"
            + " of that folder; refusing to fetch it");
      }
      get(http, base, name, into);
    }
  }

  private static Path get(HttpClient http, URI base, String name, Path into) throws IOException, InterruptedException {
    URI uri = base.resolve(name);
    HttpResponse<Path> response;
    try {
      response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofFile(into.resolve(name)));
    } catch (IOException e) {
      throw new UserError("cannot fetch " + uri + ": " + e.getMessage());
    }
    if (response.statusCode() != 200) {
      Files.deleteIfExists(into.resolve(name));
      throw new UserError("cannot fetch " + uri + ": HTTP " + response.statusCode() + "; give the URL of the folder"
          + " that holds the release's " + ManifestWriter.RELEASE_JSON);
    }
    return response.body();
  }
}
