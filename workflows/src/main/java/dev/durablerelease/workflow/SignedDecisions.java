package dev.durablerelease.workflow;

import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.DecisionCheck;
import dev.durablerelease.activity.DecisionStatement;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.SignActivities;
import dev.durablerelease.activity.SignedDecision;
import dev.durablerelease.activity.SigningGrant.ApprovalRule;
import dev.durablerelease.contract.ArtifactRef;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decisions the operator's policy wants signed (approvals, and skips where it says so): the statement an operator
 * signs, and its verification on the sign queue against the policy's approvers. The workflow never trusts a name a
 * client sends; it records the approver the signature proves.
 */
final class SignedDecisions {
  private final Supplier<List<ArtifactRef>> files;
  private final Set<String> signaturesSent = new HashSet<>();
  private ApprovalRule rule;
  private Checkout checkout;

  /** @param files the release's files so far: what an approval approves */
  SignedDecisions(Supplier<List<ArtifactRef>> files) {
    this.files = files;
  }

  /** The gate's rule as the sign domain's policy gave it, and the verified source the statements name. */
  void configure(ApprovalRule approval, Checkout verifiedSource) {
    rule = approval;
    checkout = verifiedSource;
  }

  /** The policy's approval rule, or null when the release needs no approval. */
  ApprovalRule rule() {
    return rule;
  }

  boolean skipsNeedSignature() {
    return rule != null && rule.signedSkips();
  }

  /** What an operator signs to approve the release: every file so far, by digest. */
  DecisionStatement approval() {
    List<DecisionStatement.File> approved = files.get().stream()
        .sorted(Comparator.comparing(ArtifactRef::name))
        .map(f -> new DecisionStatement.File(f.name(), f.sha256()))
        .toList();
    return statement("approve", "approval", approved);
  }

  /** What an operator signs to skip a blocked stage. */
  DecisionStatement skip(String stage) {
    return statement("skip", stage, List.of());
  }

  /** Refuses, in an update's validator, a signature that is missing or was already sent. */
  void requireNewSignature(OperatorAction action, String verb, String command) {
    if (action.signature() == null || action.signature().isBlank()) {
      throw new IllegalArgumentException(verb + " needs an approver's signature over this release's statement: run "
          + command + " --key ~/.ssh/id_ed25519 (or sign the statement that `release status` prints with ssh-keygen"
          + " -Y sign -n " + SignedDecision.NAMESPACE + " and send it as \"signature\")");
    }
    if (signaturesSent.contains(action.signature().strip())) {
      throw new IllegalArgumentException("this signature was already sent for this release; each approver signs"
          + " once, and another approver must sign for the next approval");
    }
  }

  /**
   * Verifies the signature over the statement on the sign queue; a refusal fails the update with the reason and
   * records nothing.
   */
  SignedDecision verify(DecisionStatement statement, String signature) {
    signaturesSent.add(signature.strip());
    SignActivities sign = Workflow.newActivityStub(SignActivities.class,
        StageOptions.sign("verify the " + statement.decision() + " signature"));
    try {
      return sign.verifyDecision(new DecisionCheck(statement.project(), statement.text(), signature.strip()));
    } catch (ActivityFailure e) {
      throw ApplicationFailure.newNonRetryableFailure(StageRunner.reason(e), Failures.APPROVAL_REFUSED);
    }
  }

  private DecisionStatement statement(String decision, String stage, List<DecisionStatement.File> approved) {
    return new DecisionStatement(DecisionStatement.FORMAT, decision, checkout.spec().project(),
        checkout.spec().version(), checkout.tag(), checkout.commit(), Workflow.getInfo().getWorkflowId(),
        Workflow.getInfo().getRunId(), stage, approved);
  }
}
