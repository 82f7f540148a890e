package dev.durablerelease.publish;

import dev.durablerelease.policy.TargetPolicy;
import java.io.IOException;
import java.util.Map;

/** Opens a target of the operator's policy, by its URL's scheme. */
public final class Targets {
  private Targets() {}

  /** @param env the upload worker's environment, for {@code env:} references */
  public static PublishTarget open(TargetPolicy target, Map<String, String> env) throws IOException {
    String scheme = target.url().substring(0, target.url().indexOf(':'));
    return switch (scheme) {
      case "file" -> new FileTarget(target.url());
      case "sftp" -> SftpTarget.connect(target, env);
      case "s3" -> S3Target.open(target, env);
      case "https", "http" -> WebDavTarget.open(target, env);
      default -> throw new IllegalArgumentException("no publication target for " + target.url());
    };
  }
}
