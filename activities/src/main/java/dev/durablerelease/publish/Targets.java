package dev.durablerelease.publish;

import dev.durablerelease.spec.UploadSpec;
import java.io.IOException;
import java.util.Map;

/** Opens the target a spec entry names, by its URL's scheme. */
public final class Targets {
  private Targets() {}

  /** @param env the upload worker's environment, for {@code env:} references */
  public static PublishTarget open(UploadSpec spec, Map<String, String> env) throws IOException {
    String scheme = spec.url().substring(0, spec.url().indexOf(':'));
    return switch (scheme) {
      case "file" -> new FileTarget(spec.url());
      case "sftp" -> SftpTarget.connect(spec, env);
      case "s3" -> S3Target.open(spec, env);
      case "https", "http" -> WebDavTarget.open(spec, env);
      default -> throw new IllegalArgumentException("no publication target for " + spec.url());
    };
  }
}
