package dev.durablerelease.policy;

import dev.durablerelease.activity.TaskQueues;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/** The trust domains a worker serves, each reading its own part of the policy and nothing else. */
public enum Domain {
  /** Repositories, tag-signature keys and submodule URLs. */
  SOURCE,
  /** Ceilings of the commands' limits (build and docs workers). */
  BUILD,
  /** Signing, approvals and the approvers' keys. */
  SIGN,
  /** Publish targets and their credentials. */
  UPLOAD;

  public static final Set<Domain> ALL = EnumSet.allOf(Domain.class);

  /** The domains of a worker serving these task queues (full names). */
  public static Set<Domain> ofQueues(Collection<String> queues) {
    Set<Domain> domains = EnumSet.noneOf(Domain.class);
    for (String queue : queues) {
      switch (queue) {
        case TaskQueues.SOURCE, TaskQueues.SOURCE_2 -> domains.add(SOURCE);
        case TaskQueues.BUILD, TaskQueues.DOCS -> domains.add(BUILD);
        case TaskQueues.SIGN -> domains.add(SIGN);
        case TaskQueues.UPLOAD -> domains.add(UPLOAD);
        default -> { } // the workflow queue holds nothing of the policy
      }
    }
    return domains;
  }
}
