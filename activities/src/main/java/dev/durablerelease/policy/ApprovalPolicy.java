package dev.durablerelease.policy;

import java.util.List;

/**
 * Who must approve a project's releases before anything is signed or published; read on the sign worker, which
 * verifies every approval (an SSH signature over the release's statement) against the approvers' keys.
 *
 * @param approvals how many distinct approvers' keys must sign; 0 (the default) means no gate
 * @param approvers who may approve: names of the policy's {@code approvers:}
 * @param timeout how long a release waits at the gate before it blocks there, e.g. {@code 72h} (default)
 * @param reminder how often a waiting release logs a reminder, e.g. {@code 24h} (default)
 * @param signedSkips whether skipping a blocked stage needs an approver's signature too (default false)
 * @param when the release levels that need approval, e.g. {@code [final]}; empty: every release. The version is read
 *     under the scheme the project's {@code versions:} pins, so a tag cannot choose a scheme that reads its final as
 *     a pre-release
 */
public record ApprovalPolicy(Integer approvals, List<String> approvers, String timeout, String reminder,
    Boolean signedSkips, List<String> when) {

  public ApprovalPolicy(Integer approvals, List<String> approvers, String timeout, String reminder,
      Boolean signedSkips) {
    this(approvals, approvers, timeout, reminder, signedSkips, null);
  }

  public List<String> levels() {
    return when == null ? List.of() : when;
  }

  public static final String DEFAULT_TIMEOUT = "72h";
  public static final String DEFAULT_REMINDER = "24h";

  public int required() {
    return approvals == null ? 0 : approvals;
  }

  public List<String> approverNames() {
    return approvers == null ? List.of() : approvers;
  }

  public boolean skipsNeedSignature() {
    return signedSkips != null && signedSkips;
  }
}
