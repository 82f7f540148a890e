package dev.durablerelease.publish;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.policy.TargetPolicy;
import dev.durablerelease.spec.TargetRequest;
import dev.durablerelease.spec.VersionFacts;
import dev.durablerelease.version.DerivedNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The targets a release asked for, as the upload worker's policy grants them: URLs with the release's folder. */
public final class ReleaseTargets {
  private ReleaseTargets() {}

  /**
   * Each target asked for, granted to the project, at the release's folder under its root (the policy's URL and the
   * spec's path, their placeholders expanded with what the version means); refused otherwise.
   */
  public static List<TargetPolicy> resolve(Policy policy, String project, VersionFacts version,
      List<TargetRequest> requests) {
    Map<String, String> names = DerivedNames.of(project, version);
    List<TargetPolicy> targets = new ArrayList<>();
    for (TargetRequest request : requests) {
      TargetPolicy target = policy.target(project, request.target());
      String template = template(target, request, project);
      String url = DerivedNames.expand(template, names);
      if (url == null) {
        String missing = DerivedNames.firstMissing(template, names);
        String why = DerivedNames.whyMissing(missing, version);
        throw new StageFailure(Failures.POLICY_REFUSED, "target " + request.target() + " puts releases at "
            + publicUrl(template) + ": " + (why != null ? why : "{" + missing + "} is not a placeholder"));
      }
      targets.add(target.withUrl(url));
    }
    return targets;
  }

  /** Where the target puts this project's releases: its URL and the request's path, with only {project} expanded. */
  public static String template(TargetPolicy target, TargetRequest request, String project) {
    return target.url().replace("{project}", project) + (request.path() == null ? "" : request.path());
  }

  /** A target URL as it may be shown and published: without the user name. */
  public static String publicUrl(String url) {
    int scheme = url.indexOf("://");
    int at = url.indexOf('@');
    int slash = url.indexOf('/', scheme + 3);
    if (scheme < 0 || at < 0 || slash >= 0 && at > slash) {
      return url;
    }
    return url.substring(0, scheme + 3) + url.substring(at + 1);
  }
}
