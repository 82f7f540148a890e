package dev.durablerelease.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.ManifestInput;
import dev.durablerelease.command.CommandRunner;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.spec.VersionFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Writes {@code release.json} and {@code SHA256SUMS}. */
public final class ManifestWriter {
  public static final String RELEASE_JSON = "release.json";
  public static final String SHA256SUMS = "SHA256SUMS";

  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private ManifestWriter() {}

  public static byte[] releaseJson(ManifestInput input, String workflowId, String runId) throws IOException {
    Checkout c = input.checkout();
    List<ReleaseManifest.Artifact> artifacts = listed(input.artifacts());
    List<ReleaseManifest.Artifact> logs = listed(input.logs());
    // a stage still running (this one) or not yet started (upload) is not part of what made the files
    List<ReleaseManifest.StageEntry> stages = input.stages().stream()
        .filter(s -> s.state().isDone())
        .map(ManifestWriter::entry)
        .toList();
    VersionFacts version = c.facts();
    boolean scheme = version.level() != null;
    ReleaseManifest manifest = new ReleaseManifest(ReleaseManifest.SCHEMA, c.spec().project(), c.spec().version(),
        scheme ? version.normalized() : null, scheme ? version.scheme() : null, version.level(),
        scheme ? version.prerelease() : null, c.repository(), c.tag(), c.commit(), c.tree(),
        Instant.ofEpochSecond(c.commitTime()).toString(),
        c.specDigest(), workflowId, runId, artifacts, logs, stages, input.targets(), input.operatorEvents(),
        stages.stream().noneMatch(s -> CommandRunner.NONE.equals(s.sandbox())), input.signing(), input.approvals(),
        input.agreement() == null ? null : new ReleaseManifest.Reproducibility(true, input.agreement().builders(),
            input.agreement().files()));
    return JSON.writeValueAsBytes(manifest);
  }

  /** {@code sha256sum -c} format, sorted by name. */
  public static byte[] sha256sums(List<ArtifactRef> artifacts) {
    StringBuilder sb = new StringBuilder();
    artifacts.stream()
        .sorted(Comparator.comparing(ArtifactRef::name))
        .forEach(a -> sb.append(a.sha256()).append("  ").append(a.name()).append('\n'));
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static List<ReleaseManifest.Artifact> listed(List<ArtifactRef> refs) {
    Set<String> bundles = refs.stream().filter(a -> a.kind() == ArtifactKind.SIGNATURE).map(ArtifactRef::name)
        .collect(Collectors.toSet());
    return refs.stream()
        .sorted(Comparator.comparing(ArtifactRef::name))
        .map(a -> new ReleaseManifest.Artifact(a.name(), a.kind().name().toLowerCase(java.util.Locale.ROOT),
            a.size(), a.sha256(), bundles.contains(a.name() + ".sigstore") ? a.name() + ".sigstore" : null))
        .toList();
  }

  private static ReleaseManifest.StageEntry entry(StageStatus s) {
    return new ReleaseManifest.StageEntry(s.stage(), s.state().name().toLowerCase(java.util.Locale.ROOT),
        s.attempts(), iso(s.startedAt()), iso(s.endedAt()), s.worker(), s.detail(), s.sandbox());
  }

  private static String iso(long epochMillis) {
    return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
  }
}
