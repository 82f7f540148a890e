package dev.durablerelease.activity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/**
 * What an approver signs: one decision about one run of one release, and, for an approval, the digest of every file
 * approved. The workflow writes it ({@link #text()}); the operator signs those exact bytes with {@code ssh-keygen -Y
 * sign -n} {@value SignedDecision#NAMESPACE}; the sign worker verifies the signature and reads the text back. Naming
 * the run makes a signature useless for any other release, version or run.
 *
 * @param format identifies this format
 * @param decision {@code approve} or {@code skip}
 * @param project the project
 * @param version the version
 * @param tag the tag released
 * @param commit the commit it resolved to
 * @param workflowId the release's workflow id
 * @param runId the workflow run the decision is for
 * @param stage the stage decided on ({@code approval}, or the skipped stage)
 * @param files for an approval, every file approved with its SHA-256, by name; empty for other decisions
 */
@JsonPropertyOrder({"format", "decision", "project", "version", "tag", "commit", "workflowId", "runId", "stage",
    "files"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DecisionStatement(String format, String decision, String project, String version, String tag,
    String commit, String workflowId, String runId, String stage, List<File> files) {

  public static final String FORMAT = "https://durablerelease.dev/decision/v1";

  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** A file approved, by name and SHA-256. */
  public record File(String name, String sha256) {}

  /** The exact text to sign: indented JSON in a fixed key order, ending with a newline. */
  public String text() {
    try {
      return JSON.writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a decision statement is plain data", e);
    }
  }

  /** Reads a statement back from the text that was signed. */
  public static DecisionStatement parse(String text) throws JsonProcessingException {
    return JSON.readValue(text, DecisionStatement.class);
  }
}
