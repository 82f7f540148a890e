package dev.durablerelease.spec;

import java.util.List;

/**
 * A human gate before publication.
 *
 * @param beforeUpload wait for an {@code approve} before the upload stage (default true when the section is present)
 * @param timeout how long to wait before the release blocks at the gate, e.g. {@code 72h}
 * @param reminder how often a waiting release logs a reminder line, e.g. {@code 24h}
 * @param approvers operators allowed to approve; empty means anyone the Temporal namespace lets send updates
 */
public record ApprovalSpec(Boolean beforeUpload, String timeout, String reminder, List<String> approvers) {

  public boolean required() {
    return beforeUpload != null && beforeUpload;
  }
}
