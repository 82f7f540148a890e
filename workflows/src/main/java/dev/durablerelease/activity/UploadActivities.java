package dev.durablerelease.activity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Publishes release files to the targets of the operator's policy; served on {@link TaskQueues#UPLOAD}. */
@ActivityInterface
public interface UploadActivities {
  /**
   * Checks that every target the release asks for exists in this worker's policy and is granted to the project, and
   * returns where its files will go (public URLs, no credentials); refuses with {@link Failures#POLICY_REFUSED}
   * before any connection is made. Idempotent: it only reads the policy.
   */
  @ActivityMethod(name = "grantTargets")
  TargetGrant grantTargets(GrantRequest request);

  /**
   * Stages every file on each target, then publishes them with the manifest last. Idempotent: a file already
   * published with the same digest is left alone; one with another digest stops the upload.
   */
  @ActivityMethod(name = "upload")
  Publication upload(UploadInput input);

  /**
   * Whether the targets already hold this release, given its content files (archives, docs, SBOMs): asked before
   * anything is approved or signed, so that a run of a release already published makes nothing again. Reads only;
   * brings the files of a published release into the store. Idempotent.
   */
  @ActivityMethod(name = "findPublished")
  PublishedRelease findPublished(UploadInput content);

  /**
   * Removes what this workflow run staged on the targets and published nothing of: its release was aborted while the
   * upload was blocked. Idempotent.
   */
  @ActivityMethod(name = "discardStaging")
  void discardStaging(UploadInput input);
}
