package dev.durablerelease.store;

import java.io.IOException;

/** A stored blob whose content does not match its digest: corrupted or altered after it was written. */
public class BlobIntegrityException extends IOException {
  private static final long serialVersionUID = 1L;

  public BlobIntegrityException(String expected, String actual, String location) {
    super("blob sha256:" + expected + " in " + location + " has content with sha256:" + actual
        + "; it was altered or corrupted after it was stored");
  }
}
