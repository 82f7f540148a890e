package dev.durablerelease.store;

import java.io.IOException;

/**
 * A stored blob whose content does not match its digest: corrupted or altered after it was written. By the time this
 * is thrown the store has put the damaged bytes out of the way (see {@link ArtifactStore#open}), and the message says
 * where.
 */
public class BlobIntegrityException extends IOException {
  private static final long serialVersionUID = 1L;

  private final boolean localCopy;

  /**
   * @param handled what the store did with the damaged bytes, e.g. "it was moved to quarantine as …"
   * @param localCopy whether only a worker's local copy was damaged (dropped; a retry downloads the blob again)
   */
  public BlobIntegrityException(String expected, String actual, String location, String handled, boolean localCopy) {
    super("blob sha256:" + expected + " in " + location + " has content with sha256:" + actual
        + "; it was altered or corrupted after it was stored; " + handled);
    this.localCopy = localCopy;
  }

  /** Whether only a worker's local copy was damaged: the shared blob may be intact, and a retry reads it again. */
  public boolean localCopy() {
    return localCopy;
  }
}
