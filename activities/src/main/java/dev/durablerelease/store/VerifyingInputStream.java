package dev.durablerelease.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes what passes through and, at end of stream, refuses content that does not match the expected digest, after
 * having the store put the damaged blob out of the way.
 */
final class VerifyingInputStream extends FilterInputStream {
  /** What a store does with a blob found damaged; returns what it did, for the message. */
  @FunctionalInterface
  interface OnDamage {
    String handle() throws IOException;
  }

  private final MessageDigest md = Digests.sha256();
  private final String expected;
  private final String location;
  private final OnDamage onDamage;
  private final boolean localCopy;
  private boolean checked;

  VerifyingInputStream(InputStream in, String expected, String location, OnDamage onDamage, boolean localCopy) {
    super(in);
    this.expected = expected;
    this.location = location;
    this.onDamage = onDamage;
    this.localCopy = localCopy;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      verify();
    } else {
      md.update((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n < 0) {
      verify();
    } else {
      md.update(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // skipping would leave bytes unhashed; read them instead
    byte[] buffer = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void verify() throws IOException {
    if (checked) {
      return;
    }
    checked = true;
    String actual = Digests.hex(md.digest());
    if (!actual.equals(expected)) {
      String handled;
      try {
        handled = onDamage.handle();
      } catch (IOException | RuntimeException e) {
        handled = "it could not be moved out of the way (" + e.getMessage() + ")";
      }
      throw new BlobIntegrityException(expected, actual, location, handled, localCopy);
    }
  }
}
