package dev.durablerelease.store;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Opens the artifact store a worker is given: a local folder, or {@code s3://bucket/prefix} with options in the query,
 * e.g. {@code s3://releases/store?endpoint=http://minio:9000&pathStyle=true&region=eu-west-1&cacheMb=4096}.
 * Credentials come from the AWS SDK's standard chain (environment, profile, instance role), never from the URL.
 */
public final class Stores {
  private static final Set<String> S3_OPTIONS = Set.of("endpoint", "region", "pathStyle", "cacheMb");
  private static final long DEFAULT_CACHE_MB = 2048;

  private Stores() {}

  /**
   * @param location a folder, or an {@code s3://} URL
   * @param workDir this worker's own folder; an S3 store keeps its local cache of blobs under it
   */
  public static ArtifactStore open(String location, Path workDir) throws IOException {
    if (!location.startsWith("s3://")) {
      return new LocalArtifactStore(Path.of(location));
    }
    URI uri = URI.create(location);
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new IllegalArgumentException("store " + location + " names no bucket; write s3://BUCKET/PREFIX");
    }
    Map<String, String> options = query(uri);
    for (String option : options.keySet()) {
      if (!S3_OPTIONS.contains(option)) {
        throw new IllegalArgumentException("store " + location + ": unknown option " + option + "; known: "
            + String.join(", ", S3_OPTIONS));
      }
    }
    S3Client client = s3Client(options.get("endpoint"), options.get("region"),
        Boolean.parseBoolean(options.getOrDefault("pathStyle", "false")), DefaultCredentialsProvider.builder().build());
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
    String prefix = path.isEmpty() || path.endsWith("/") ? path : path + "/";
    S3ArtifactStore s3 = new S3ArtifactStore(client, uri.getHost(), prefix);
    long cacheMb = Long.parseLong(options.getOrDefault("cacheMb", String.valueOf(DEFAULT_CACHE_MB)));
    return new CachingArtifactStore(s3, workDir.resolve("blob-cache"), cacheMb << 20);
  }

  /**
   * An S3 client as the store and the s3:// publication target use it.
   *
   * @param endpoint an S3-compatible store's endpoint, or null for AWS
   * @param region the region, or null for us-east-1
   */
  public static S3Client s3Client(String endpoint, String region, boolean pathStyle,
      AwsCredentialsProvider credentials) {
    var builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .credentialsProvider(credentials)
        .region(Region.of(region == null ? "us-east-1" : region))
        .forcePathStyle(pathStyle);
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder.build();
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> options = new HashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "true" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        options.put(key, value);
      }
    }
    return options;
  }
}
