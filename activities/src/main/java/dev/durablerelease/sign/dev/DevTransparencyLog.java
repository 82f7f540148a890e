package dev.durablerelease.sign.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.sigstore.json.canonicalizer.JsonCanonicalizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A Rekor v1 transparency log ({@code POST /api/v1/log/entries}): an RFC 6962 Merkle tree in memory, a signed entry
 * timestamp per entry and a signed checkpoint, so that the client's inclusion proof and SET checks run for real.
 */
final class DevTransparencyLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private final KeyPair keys;
  private final String host;
  private final String origin;
  private final List<byte[]> leaves = new ArrayList<>();

  DevTransparencyLog(KeyPair keys, String host) {
    this.keys = keys;
    this.host = host;
    this.origin = host + " - " + Long.toUnsignedString(Arrays.hashCode(keys.getPublic().getEncoded()) & 0xffffffffL);
    // a log never starts empty in practice, and bundle writers refuse log index 0 as an unset field
    for (int i = 0; i < 3; i++) {
      leaves.add(leafHash(("seed " + i).getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** The log id: SHA-256 of the log's public key. */
  byte[] logId() {
    return DevKeys.sha256(keys.getPublic().getEncoded());
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod()) || !"/api/v1/log/entries".equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] body = new JsonCanonicalizer(exchange.getRequestBody().readAllBytes()).getEncodedUTF8();
      ObjectNode response = append(body);
      String uuid = response.fieldNames().next();
      byte[] out = response.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("Location", "/api/v1/log/entries/" + uuid);
      exchange.sendResponseHeaders(201, out.length);
      exchange.getResponseBody().write(out);
    }
  }

  private synchronized ObjectNode append(byte[] body) throws IOException {
    byte[] leaf = leafHash(body);
    long index = leaves.size();
    leaves.add(leaf);
    long size = leaves.size();
    byte[] root = treeHash(0, leaves.size());
    List<String> proof = new ArrayList<>();
    inclusionPath((int) index, 0, leaves.size(), proof);

    String encodedBody = Base64.getEncoder().encodeToString(body);
    long integratedTime = Instant.now().getEpochSecond();
    String logId = HEX.formatHex(logId());
    ObjectNode signable = JSON.createObjectNode()
        .put("body", encodedBody)
        .put("integratedTime", integratedTime)
        .put("logID", logId)
        .put("logIndex", index);
    byte[] set = DevKeys.sign(keys.getPrivate(), new JsonCanonicalizer(signable.toString()).getEncodedUTF8());

    ObjectNode entry = signable.deepCopy();
    ObjectNode inclusion = entry.putObject("verification")
        .put("signedEntryTimestamp", Base64.getEncoder().encodeToString(set))
        .putObject("inclusionProof");
    inclusion.put("checkpoint", checkpoint(size, root))
        .put("logIndex", index)
        .put("rootHash", HEX.formatHex(root))
        .put("treeSize", size);
    proof.forEach(inclusion.putArray("hashes")::add);
    ObjectNode response = JSON.createObjectNode();
    response.set(HEX.formatHex(leaf), entry);
    return response;
  }

  /** A signed note: origin, size and root, then "— host base64(keyHint ‖ signature)". */
  private String checkpoint(long size, byte[] root) {
    String signedData = origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    byte[] signature = DevKeys.sign(keys.getPrivate(), signedData.getBytes(StandardCharsets.UTF_8));
    byte[] hintAndSignature = new byte[4 + signature.length];
    System.arraycopy(logId(), 0, hintAndSignature, 0, 4);
    System.arraycopy(signature, 0, hintAndSignature, 4, signature.length);
    return signedData + "\n\u2014 " + host + " " + Base64.getEncoder().encodeToString(hintAndSignature) + "\n";
  }

  private static byte[] leafHash(byte[] data) {
    return DevKeys.sha256(new byte[] {0}, data);
  }

  /** RFC 6962 Merkle tree hash of leaves [from, to). */
  private byte[] treeHash(int from, int to) {
    if (to - from == 1) {
      return leaves.get(from);
    }
    int split = from + largestPowerOfTwoBelow(to - from);
    return DevKeys.sha256(new byte[] {1}, treeHash(from, split), treeHash(split, to));
  }

  /** RFC 6962 audit path of leaf {@code index} in [from, to), leaf-ward first. */
  private void inclusionPath(int index, int from, int to, List<String> path) {
    if (to - from == 1) {
      return;
    }
    int split = from + largestPowerOfTwoBelow(to - from);
    if (index < split) {
      inclusionPath(index, from, split, path);
      path.add(HEX.formatHex(treeHash(split, to)));
    } else {
      inclusionPath(index, split, to, path);
      path.add(HEX.formatHex(treeHash(from, split)));
    }
  }

  private static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }
}
