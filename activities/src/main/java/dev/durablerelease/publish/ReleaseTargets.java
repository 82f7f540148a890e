package dev.durablerelease.publish;

import dev.durablerelease.policy.Policy;
import dev.durablerelease.policy.TargetPolicy;
import dev.durablerelease.spec.TargetRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** The targets a release asked for, as the upload worker's policy grants them: URLs with the release's folder. */
public final class ReleaseTargets {
  private ReleaseTargets() {}

  /** Each target asked for, granted to the project, at the release's folder under its root; refused otherwise. */
  public static List<TargetPolicy> resolve(Policy policy, String project, String version,
      List<TargetRequest> requests) {
    List<TargetPolicy> targets = new ArrayList<>();
    for (TargetRequest request : requests) {
      TargetPolicy target = policy.target(project, request.target());
      String root = target.url().replace("{project}", project).replace("{version}", version);
      String path = request.path() == null ? "" : request.path();
      targets.add(target.withUrl(root + path));
    }
    return targets;
  }

  /** A target URL as it may be shown and published: without the user name. */
  public static String publicUrl(String url) {
    URI uri = URI.create(url);
    if (uri.getRawUserInfo() == null) {
      return url;
    }
    return url.replaceFirst("//" + java.util.regex.Pattern.quote(uri.getRawUserInfo()) + "@", "//");
  }
}
