package dev.durablerelease.workflow;

import dev.durablerelease.activity.SigningGrant;
import dev.durablerelease.activity.SigningGrant.ApprovalRule;
import dev.durablerelease.activity.TargetGrant;
import dev.durablerelease.spec.ReleaseSpec;
import java.util.List;
import java.util.Map;

/**
 * Releases started by an engine that read signing, approval and targets from the spec itself, before operator
 * policies. Their histories replay through here, scheduling the stages they scheduled. What they ask of this
 * engine's sign and upload workers (which read those from their own policy) is refused, and the release blocks there,
 * to be aborted and run again under the operator's policy.
 */
final class PrePolicyRelease {
  private static final String DEFAULT_TIMEOUT = "72h";
  private static final String DEFAULT_REMINDER = "24h";

  private PrePolicyRelease() {}

  /** What such a release's own spec asked for, in the form the checklist uses. */
  static Grants grants(ReleaseSpec spec) {
    Map<String, Object> earlier = spec.unknownFields();
    // their specs were written out with every key, so a section they did not have is there as null
    ApprovalRule approval = earlier.get("approval") != null
        ? new ApprovalRule(1, approvers(spec), text(field(earlier, "approval", "timeout"), DEFAULT_TIMEOUT),
            text(field(earlier, "approval", "reminder"), DEFAULT_REMINDER), false)
        : null;
    String mode = earlier.get("sign") != null ? text(field(earlier, "sign", "mode"), "public") : null;
    TargetGrant targets = spec.hasUploads() ? new TargetGrant(List.of(), null) : null;
    return new Grants(targets, new SigningGrant(mode, null, null, approval, null), List.of());
  }

  /** Who such a release's spec let approve, by name (empty: anyone). */
  static List<String> approvers(ReleaseSpec spec) {
    Object names = field(spec.unknownFields(), "approval", "approvers");
    return names instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
  }

  private static Object field(Map<String, Object> fields, String section, String key) {
    return fields.get(section) instanceof Map<?, ?> map ? map.get(key) : null;
  }

  private static String text(Object value, String fallback) {
    return value == null ? fallback : value.toString();
  }
}
