package dev.durablerelease.version;

import dev.durablerelease.spec.VersionFacts;
import java.math.BigInteger;
import java.util.List;

/** A version parsed under its scheme: what it means, and its place among versions of the same scheme. */
public interface SchemeVersion extends Comparable<SchemeVersion> {

  VersionFacts facts();

  /** The release numbers (major, minor, micro, …) that maintenance lines such as {@code 3.12.*} are prefixes of. */
  List<BigInteger> releaseNumbers();

  /** Whether the version belongs to a maintenance line {@code N.N.*}: its release numbers start with the line's. */
  default boolean inLine(String line) {
    String[] prefix = line.substring(0, line.length() - 2).split("\\.");
    List<BigInteger> numbers = releaseNumbers();
    for (int i = 0; i < prefix.length; i++) {
      BigInteger number = i < numbers.size() ? numbers.get(i) : BigInteger.ZERO;
      if (!number.equals(new BigInteger(prefix[i]))) {
        return false;
      }
    }
    return true;
  }

  /** Whether this is the same release as {@code other} (the same normal form), e.g. a re-run of it. */
  default boolean sameRelease(SchemeVersion other) {
    return facts().normalized().equals(other.facts().normalized());
  }
}
