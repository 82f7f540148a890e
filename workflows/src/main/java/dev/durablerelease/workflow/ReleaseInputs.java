package dev.durablerelease.workflow;

import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.activity.CommandInput;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.contract.Stage;
import dev.durablerelease.spec.ArtifactNames;
import dev.durablerelease.spec.CommandSpec;
import dev.durablerelease.spec.DocsSpec;
import dev.durablerelease.spec.ReleaseSpec;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.util.List;

/** The inputs of the stages' activities, made from the workflow input and what earlier stages returned. */
final class ReleaseInputs {
  private ReleaseInputs() {}

  /** What to check out; an unusable workflow input (a typo from the Temporal CLI, say) ends the release at once. */
  static CheckoutInput checkout(ReleaseRequest request) {
    if (request.unknownFields() != null && !request.unknownFields().isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "unknown field(s) in the workflow input: " + String.join(", ", request.unknownFields().keySet())
              + "; known fields: repository, version, tag, expectedCommit, spec, resume, dryRun",
          Failures.INVALID_SPEC);
    }
    ReleaseSpec spec = request.spec();
    String repository = firstNonBlank(request.repository(), spec == null ? null : spec.repository());
    String version = firstNonBlank(request.version(), spec == null ? null : spec.version());
    if (repository == null || version == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the workflow input needs \"repository\" and \"version\" (or a \"spec\" that has them), e.g. "
              + "{\"repository\": \"https://git.example.org/hello.git\", \"version\": \"2.1.0\"}",
          Failures.INVALID_SPEC);
    }
    String tag = firstNonBlank(request.tag(), spec == null ? null : spec.tag());
    String expectedCommit = firstNonBlank(request.expectedCommit(), spec == null ? null : spec.expectedCommit());
    return new CheckoutInput(repository, version, tag == null ? "v" + version : tag, expectedCommit, spec,
        request.resume() || isResetRun());
  }

  /**
   * A run made by {@code temporal workflow reset} runs again the stages after its reset point: like a resumed release,
   * it reuses those an earlier run finished with identical inputs instead of building, signing or uploading again.
   */
  private static boolean isResetRun() {
    // a reset keeps the started event of the run it was made from, whose run id it then names as the original
    WorkflowInfo info = Workflow.getInfo();
    String original = info.getOriginalExecutionRunId();
    return original != null && !original.isEmpty() && !original.equals(info.getRunId())
        && Workflow.getVersion("reuseStagesOnReset", Workflow.DEFAULT_VERSION, 1) == 1;
  }

  static CommandInput test(Checkout checkout, Archives archives) {
    CommandSpec test = checkout.spec().test();
    return new CommandInput(Stage.TEST_SOURCE.id(), archives.primary(), checkout.spec().source().name(),
        test.command(), test.timeout(), test.env(), List.of(), List.of(), null, checkout.commitTime(),
        checkout.resume(), test.limits(), checkout.spec().project());
  }

  static CommandInput docs(Checkout checkout, Archives archives) {
    DocsSpec docs = checkout.spec().docs();
    String name = checkout.spec().source().name();
    return new CommandInput(Stage.BUILD_DOCS.id(), archives.primary(), name, docs.command(), docs.timeout(),
        docs.env(), docs.outputs(), docs.formats(), ArtifactNames.docsPrefix(name), checkout.commitTime(),
        checkout.resume(), docs.limits(), checkout.spec().project());
  }

  private static String firstNonBlank(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b == null || b.isBlank() ? null : b;
  }
}
