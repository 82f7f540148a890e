package dev.durablerelease.worker;

import java.io.IOException;

/** Nothing that answers as a Temporal server is at the configured address; says where and what went wrong. */
public final class TemporalUnreachableException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String address;

  TemporalUnreachableException(String address, String why, Throwable cause) {
    super("no Temporal server answers at " + address + " (TEMPORAL_ADDRESS): " + why, cause);
    this.address = address;
  }

  /** The port of the address, for advice such as {@code release dev-server --port N}. */
  public String port() {
    return address.substring(address.lastIndexOf(':') + 1);
  }
}
