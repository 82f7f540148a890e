package dev.durablerelease.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.PublishedRelease;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.manifest.ManifestWriter;
import dev.durablerelease.manifest.UniqueNames;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.store.BlobIntegrityException;
import dev.durablerelease.store.Digests;
import dev.durablerelease.contract.ArtifactRef;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a release's files to its targets so that a reader never sees half a release and a re-run is always safe:
 * <ol>
 *   <li>refuse a release in which two files have one name;
 *   <li>check every (target, file) against the live target and the {@link PublishLedger}: the same digest is already
 *       done, another digest stops everything before anything is sent;
 *   <li>stage every missing file on every target under {@code .staging-<run>/} (each read whole from the store and
 *       checked against its digest first) and verify it (size and SHA-256 as the target holds it); a file an earlier
 *       attempt of this run staged and verified is not sent again;
 *   <li>check again, just before moving, that no file appeared at a final name meanwhile;
 *   <li>move the staged files into place in the given order (manifest last), never replacing a file there; when a move
 *       is refused or fails, the files this attempt already moved are taken back, so a release that does not complete
 *       leaves no final-named file; then record every file in the ledger and remove the staging folder. A dry run
 *       stops after step 3 and removes what it staged.
 * </ol>
 * What a run moves is recorded before the first move: when that run ends without completing (the worker died, then
 * the release was aborted or resumed), the next run of the release, or the abort, takes those files back. Staging
 * folders of such runs are removed the same way.
 */
public final class Publisher {
  private static final Logger log = LoggerFactory.getLogger(Publisher.class);
  private static final int MAX_CONFLICTS_SHOWN = 5;

  /**
   * What a publication did.
   *
   * @param written files moved into place
   * @param alreadyPublished files a target already held with the same digest
   * @param resumed files found staged and verified by an earlier attempt, not sent again
   * @param wouldPublish on a dry run, the URL of each file a real run would publish
   */
  public record Outcome(int written, int alreadyPublished, int resumed, List<String> wouldPublish) {}

  /** The files one target still needs, and those it already has. */
  private record Plan(PublishTarget target, List<ArtifactRef> missing, List<ArtifactRef> present) {}

  /**
   * The run of one release that last staged files, the targets it staged on, and the files it is moving into place
   * (until its publication completes); kept in the store. Only targets written to are listed, so clean-up never asks
   * a target that holds nothing of the run (it may refuse writes).
   */
  private record Staging(String release, String run, List<String> targets, List<Move> moves) {
    Staging {
      moves = moves == null ? List.of() : moves;
    }

    Staging(String release, String run, List<String> targets) {
      this(release, run, targets, List.of());
    }
  }

  /** A file moved, or about to be moved, to its final name on a target. */
  private record Move(String target, String name, String sha256) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a release is made of, as opposed to what each run makes about it (provenance, bundles, manifest). */
  private static final Set<ArtifactKind> CONTENT =
      Set.of(ArtifactKind.SOURCE_ARCHIVE, ArtifactKind.DOCS_ARCHIVE, ArtifactKind.SBOM);

  private final ArtifactStore store;
  private final PublishLedger ledger;
  private final String release;
  private final String run;
  private final Runnable progress;

  /**
   * @param release the workflow id: its runs share the release's staging record
   * @param run the workflow run: it names the staging folder, so retries of one run find what they staged
   * @param progress called often while files go out (the activity heartbeats), so a dead worker is noticed early
   */
  public Publisher(ArtifactStore store, PublishLedger ledger, String release, String run, Runnable progress) {
    this.store = store;
    this.ledger = ledger;
    this.release = release;
    this.run = run;
    this.progress = progress;
  }

  public Outcome publish(List<PublishTarget> targets, List<ArtifactRef> files, boolean dryRun) throws IOException {
    List<String> duplicates = UniqueNames.duplicates(files);
    if (!duplicates.isEmpty()) {
      throw new StageFailure(Failures.PUBLISH_CONFLICT, "nothing was published: two files of this release have one"
          + " name: " + String.join("; ", duplicates) + ". Each would overwrite the other; give them different names"
          + " (for docs.outputs, folders with different last names)");
    }
    // first: what an ended run of this release moved into place is taken back, so the check sees what is published
    Staging claimed = claimStaging(targets);
    List<Plan> plans = new ArrayList<>();
    List<Conflict> conflicts = new ArrayList<>();
    for (PublishTarget target : targets) {
      plans.add(plan(target, files, conflicts));
    }
    if (!conflicts.isEmpty()) {
      throw refusal(conflicts(conflicts), conflictType(conflicts), targets);
    }
    List<String> stagedOn = new ArrayList<>(claimed.targets());
    String staging = staging(run);
    Set<String> verified = new HashSet<>();
    int resumed = 0;
    for (Plan plan : plans) {
      if (!plan.missing().isEmpty() && !stagedOn.contains(plan.target().url())) {
        stagedOn.add(plan.target().url()); // recorded before the first byte goes out
        writeStaging(new Staging(release, run, List.copyOf(stagedOn), claimed.moves()));
      }
      for (ArtifactRef file : plan.missing()) {
        resumed += stage(plan.target(), staging + file.name(), file, verified) ? 0 : 1;
      }
    }
    if (dryRun) {
      List<String> wouldPublish = new ArrayList<>();
      for (Plan plan : plans) {
        plan.missing().forEach(file -> wouldPublish.add(plan.target().url() + file.name()));
      }
      removeStaging(plans, stagedOn, staging);
      writeStaging(new Staging(release, run, List.of()));
      return new Outcome(0, present(plans), resumed, wouldPublish);
    }
    plans = recheck(plans, targets);
    // with what an earlier attempt of this run moved (found present now): all of it is taken back if the run ends
    Set<Move> moves = new LinkedHashSet<>(claimed.moves());
    for (Plan plan : plans) {
      plan.missing().forEach(file -> moves.add(new Move(plan.target().url(), file.name(), file.sha256())));
    }
    writeStaging(new Staging(release, run, List.copyOf(stagedOn), List.copyOf(moves)));
    int written = moveIntoPlace(plans, staging, targets);
    for (Plan plan : plans) {
      for (ArtifactRef file : plan.present()) {
        ledger.record(plan.target().url(), file, run); // some published by a run that ended before it could record
      }
      for (ArtifactRef file : plan.missing()) {
        ledger.record(plan.target().url(), file, run);
      }
      log.info("published {} file(s) to {} ({} already there)", plan.missing().size(), plan.target().url(),
          plan.present().size());
    }
    removeStaging(plans, stagedOn, staging);
    writeStaging(new Staging(release, run, List.of()));
    return new Outcome(written, present(plans), resumed, List.of());
  }

  /**
   * A file a target holds, or held, with other bytes than this release's.
   *
   * @param publishedBy the run that published it, by the ledger; null when the ledger has no record of it
   * @param gone whether it has since been removed from the target (the ledger still says what was published)
   */
  private record Conflict(String url, String published, String ours, String publishedBy, boolean gone) {}

  /**
   * The conflicts as the reason of a refusal, naming a few files with shortened digests (the reason is shown in the
   * status and kept in the history; the worker's log has every one in full), and what to do: a file the ledger
   * records stays published for good, one it does not know may be someone else's, removable by hand.
   */
  private static String conflicts(List<Conflict> conflicts) {
    conflicts.forEach(c -> log.warn("publish conflict: {} {} sha256:{}{}, this release has sha256:{}", c.url(),
        c.publishedBy() == null ? "holds" : "was published by run " + c.publishedBy() + " with", c.published(),
        c.gone() ? " (gone now)" : "", c.ours()));
    List<Conflict> shown = conflicts.subList(0, Math.min(MAX_CONFLICTS_SHOWN, conflicts.size()));
    StringBuilder reason = new StringBuilder().append(conflicts.size())
        .append(" file(s) of this release differ from what the targets hold: ")
        .append(String.join(", ", shown.stream().map(c -> c.url() + " (" + (c.publishedBy() == null ? "holds"
            : c.gone() ? "was published as, now gone," : "published as") + " sha256:" + shortDigest(c.published())
            + ", this release sha256:" + shortDigest(c.ours()) + ")").toList()));
    if (conflicts.size() > shown.size()) {
      reason.append(" and ").append(conflicts.size() - shown.size()).append(" more");
    }
    return reason + (conflictType(conflicts).equals(Failures.PUBLISH_CONFLICT) ? ". The publish ledger has no record"
        + " of publishing them: if they were never announced, remove them from the target by hand and run the upload"
        + " again; else release a new version" : ". A published file is never replaced: release a new version");
  }

  /** {@code AlreadyPublished} when the ledger records one of the files (for good), else {@code PublishConflict}. */
  private static String conflictType(List<Conflict> conflicts) {
    return conflicts.stream().allMatch(c -> c.publishedBy() == null) ? Failures.PUBLISH_CONFLICT
        : Failures.ALREADY_PUBLISHED;
  }

  private static String shortDigest(String sha256) {
    return sha256.substring(0, Math.min(12, sha256.length())) + "…";
  }

  /**
   * Refuses the publication, which cannot complete: first takes back what this run moved into place and removes what
   * it staged, so the failure can say that nothing was published (or, if a target failed, what is left).
   */
  private StageFailure refusal(String reason, String type, List<PublishTarget> targets) throws IOException {
    Staging mine = readStaging().filter(s -> s.run().equals(run)).orElse(new Staging(release, run, List.of()));
    String left = takeBack(mine.moves(), targets);
    List<String> stagedOn = mine.targets();
    try {
      removeStaging(new Staging(release, run, stagedOn), targets);
      stagedOn = List.of();
    } catch (IOException e) {
      log.warn("what run {} staged is left behind: {}", run, e.getMessage());
    }
    writeStaging(new Staging(release, run, stagedOn, left.isEmpty() ? List.of() : mine.moves()));
    return new StageFailure(type, (left.isEmpty() ? "nothing was published: " + reason
        : reason + "; what this release had moved into place was to be taken back, but " + left));
  }

  /**
   * Staging may take long: just before moving, each missing file is looked for again. One that appeared with this
   * release's digest counts as present; one with another digest refuses the publication.
   */
  private List<Plan> recheck(List<Plan> plans, List<PublishTarget> targets) throws IOException {
    List<Conflict> conflicts = new ArrayList<>();
    List<Plan> checked = new ArrayList<>();
    for (Plan plan : plans) {
      Plan again = plan(plan.target(), plan.missing(), conflicts);
      List<ArtifactRef> present = new ArrayList<>(plan.present());
      present.addAll(again.present());
      checked.add(new Plan(plan.target(), again.missing(), present));
    }
    if (!conflicts.isEmpty()) {
      throw refusal("while the files were staged, " + conflicts(conflicts), conflictType(conflicts), targets);
    }
    return checked;
  }

  /**
   * Moves every missing file into place, target after target. A refused move (a file appeared after the check) means
   * the release cannot complete: what this run moved is taken back ({@link #refusal}). Other failures leave what was
   * moved for the retry to complete, or for an abort to take back.
   */
  private int moveIntoPlace(List<Plan> plans, String staging, List<PublishTarget> targets) throws IOException {
    int moved = 0;
    try {
      for (Plan plan : plans) {
        for (ArtifactRef file : plan.missing()) {
          progress.run();
          plan.target().move(staging + file.name(), file.name());
          moved++;
        }
      }
      return moved;
    } catch (FileAlreadyExistsException appeared) {
      throw refusal(appeared.getFile() + ": " + appeared.getReason() + " (another publisher?). A published file is"
          + " never overwritten: find out who wrote it, then release again", Failures.PUBLISH_CONFLICT, targets);
    }
  }

  /**
   * Removes files a run moved into place, each only while it still holds what the run moved there. Returns what could
   * not be taken back, or "".
   */
  private String takeBack(List<Move> moves, List<PublishTarget> targets) {
    List<String> left = new ArrayList<>();
    for (Move move : moves) {
      Optional<PublishTarget> target = targets.stream().filter(t -> t.url().equals(move.target())).findFirst();
      try {
        if (target.isEmpty()) {
          left.add(move.target() + move.name() + " (the policy has no such target any more)");
        } else if (target.get().sha256(move.name()).orElse("").equals(move.sha256())) {
          progress.run();
          target.get().delete(move.name());
        }
      } catch (IOException | RuntimeException e) {
        left.add(move.target() + move.name() + " (" + e.getMessage() + ")");
      }
    }
    return left.isEmpty() ? "" : "these are still in place: " + String.join(", ", left);
  }

  private static void removeStaging(List<Plan> plans, List<String> stagedOn, String staging) throws IOException {
    for (Plan plan : plans) {
      if (stagedOn.contains(plan.target().url())) {
        plan.target().deleteFolder(staging);
      }
    }
  }

  private static int present(List<Plan> plans) {
    return plans.stream().mapToInt(plan -> plan.present().size()).sum();
  }

  /**
   * Removes what this run staged: its release was aborted while the upload was blocked. A target that fails does not
   * keep the others from being cleaned; the failure names it.
   */
  public void discardStaging(List<PublishTarget> targets) throws IOException {
    Staging staging = readStaging().filter(s -> s.run().equals(run)).orElse(new Staging(release, run, List.of()));
    removeStaging(staging, targets);
    writeStaging(new Staging(release, run, List.of()));
  }

  /**
   * Removes what an earlier run of this release staged, and takes back what it moved into place without completing
   * its publication, then records this run as the one staging. A workflow has one open run at a time, so every other
   * run of this release has ended: what it staged is garbage (a later run stages again what it needs). Other
   * releases' folders may belong to live runs: left alone.
   */
  private Staging claimStaging(List<PublishTarget> targets) throws IOException {
    Optional<Staging> earlier = readStaging();
    if (earlier.isPresent() && earlier.get().run().equals(run)) {
      return earlier.get(); // a retry of this run: its staged files are reused
    }
    if (earlier.isPresent() && (!earlier.get().targets().isEmpty() || !earlier.get().moves().isEmpty())) {
      try {
        removeStaging(earlier.get(), targets);
        log.info("removed what ended run {} of {} staged on {} or moved into place", earlier.get().run(), release,
            earlier.get().targets());
      } catch (IOException e) {
        // garbage left behind does not stop a release: said, and forgotten
        log.warn("what ended run {} of {} staged is left behind: {}", earlier.get().run(), release, e.getMessage());
      }
    }
    Staging fresh = new Staging(release, run, List.of());
    writeStaging(fresh);
    return fresh;
  }

  /** Takes back what the run moved into place (its publication did not complete), then removes its staging. */
  private void removeStaging(Staging staging, List<PublishTarget> targets) throws IOException {
    List<String> failed = new ArrayList<>();
    String left = takeBack(staging.moves(), targets);
    if (!left.isEmpty()) {
      failed.add("what run " + staging.run() + " moved into place: " + left);
    }
    for (String url : staging.targets()) {
      Optional<PublishTarget> target = targets.stream().filter(t -> t.url().equals(url)).findFirst();
      if (target.isEmpty()) {
        failed.add(url + staging(staging.run()) + ": the policy has no such target any more");
        continue;
      }
      try {
        progress.run();
        target.get().deleteFolder(staging(staging.run()));
      } catch (IOException | StageFailure e) {
        failed.add(url + staging(staging.run()) + ": " + e.getMessage());
      }
    }
    if (!failed.isEmpty()) {
      throw new IOException("cannot remove " + String.join("; ", failed));
    }
  }

  private Optional<Staging> readStaging() throws IOException {
    Optional<byte[]> record = store.readRecord(stagingKey());
    return record.isEmpty() ? Optional.empty() : Optional.of(JSON.readValue(record.get(), Staging.class));
  }

  private void writeStaging(Staging staging) throws IOException {
    store.writeRecord(stagingKey(), JSON.writeValueAsBytes(staging));
  }

  private String stagingKey() {
    return "staging/" + Digests.sha256Hex(release.getBytes(StandardCharsets.UTF_8));
  }

  private static String staging(String run) {
    return ".staging-" + run + "/";
  }

  private Plan plan(PublishTarget target, List<ArtifactRef> files, List<Conflict> conflicts) throws IOException {
    List<ArtifactRef> missing = new ArrayList<>();
    List<ArtifactRef> present = new ArrayList<>();
    for (ArtifactRef file : files) {
      progress.run();
      Optional<String> live = target.sha256(file.name());
      Optional<PublishLedger.Entry> recorded = ledger.find(target.url(), file.name());
      if (recorded.isPresent() && !recorded.get().sha256().equals(file.sha256())) {
        conflicts.add(new Conflict(target.url() + file.name(), recorded.get().sha256(), file.sha256(),
            recorded.get().run(), live.isEmpty()));
      } else if (live.isPresent() && !live.get().equals(file.sha256())) {
        conflicts.add(new Conflict(target.url() + file.name(), live.get(), file.sha256(), null, false));
      } else if (live.isPresent()) {
        present.add(file);
      } else {
        missing.add(file);
      }
    }
    return new Plan(target, missing, present);
  }

  /**
   * What the targets hold of a release, given its content files (archives, docs, SBOMs). It is published when every
   * target holds the same {@code release.json} (the one the ledger recorded there, if it recorded one), that lists
   * exactly these content files with these digests, and every file it lists, and {@code SHA256SUMS}, are there with
   * their digests. The files of such a release that the store lacks are read back from a target into the store,
   * checked against their digests, so the caller can hand them out. Reads only.
   *
   * @param scratch a folder of this worker's for files on their way into the store
   */
  public PublishedRelease findPublished(List<PublishTarget> targets, List<ArtifactRef> content, Path scratch)
      throws IOException {
    Optional<PublishedRelease> published = published(targets, content, scratch);
    if (published.isPresent()) {
      return published.get();
    }
    for (PublishTarget target : targets) {
      for (ArtifactRef file : content) {
        if (ledger.find(target.url(), file.name()).filter(e -> e.sha256().equals(file.sha256())).isPresent()) {
          return PublishedRelease.PARTLY;
        }
      }
    }
    return PublishedRelease.NONE;
  }

  private Optional<PublishedRelease> published(List<PublishTarget> targets, List<ArtifactRef> content, Path scratch)
      throws IOException {
    Optional<String> manifestDigest = sameOnEvery(targets, ManifestWriter.RELEASE_JSON);
    if (targets.isEmpty() || manifestDigest.isEmpty()) {
      return Optional.empty();
    }
    for (PublishTarget target : targets) {
      Optional<PublishLedger.Entry> recorded = ledger.find(target.url(), ManifestWriter.RELEASE_JSON);
      if (recorded.isPresent() && !recorded.get().sha256().equals(manifestDigest.get())) {
        return Optional.empty();
      }
    }
    PublishTarget first = targets.get(0);
    ArtifactRef releaseJson = fetch(first, new ArtifactRef(ManifestWriter.RELEASE_JSON, ArtifactKind.MANIFEST,
        manifestDigest.get(), first.size(ManifestWriter.RELEASE_JSON)), scratch);
    List<ArtifactRef> listed = listedIn(releaseJson);
    Set<String> published = listed.stream().filter(f -> CONTENT.contains(f.kind()))
        .map(f -> f.name() + " " + f.sha256()).collect(Collectors.toSet());
    Set<String> ours = content.stream().map(f -> f.name() + " " + f.sha256()).collect(Collectors.toSet());
    if (!published.equals(ours)) {
      return Optional.empty();
    }
    for (PublishTarget target : targets) {
      for (ArtifactRef file : listed) {
        progress.run();
        if (!target.sha256(file.name()).equals(Optional.of(file.sha256()))) {
          return Optional.empty();
        }
      }
    }
    Optional<String> sumsDigest = sameOnEvery(targets, ManifestWriter.SHA256SUMS);
    if (sumsDigest.isEmpty()) {
      return Optional.empty();
    }
    List<ArtifactRef> files = new ArrayList<>();
    for (ArtifactRef file : listed) {
      files.add(fetch(first, file, scratch));
    }
    ArtifactRef checksums = fetch(first, new ArtifactRef(ManifestWriter.SHA256SUMS, ArtifactKind.CHECKSUMS,
        sumsDigest.get(), first.size(ManifestWriter.SHA256SUMS)), scratch);
    return Optional.of(new PublishedRelease(releaseJson, checksums, files, true));
  }

  /** The digest of a file every target holds with the same bytes, or empty. */
  private Optional<String> sameOnEvery(List<PublishTarget> targets, String path) throws IOException {
    String digest = null;
    for (PublishTarget target : targets) {
      progress.run();
      Optional<String> live = target.sha256(path);
      if (live.isEmpty() || (digest != null && !digest.equals(live.get()))) {
        return Optional.empty();
      }
      digest = live.get();
    }
    return Optional.ofNullable(digest);
  }

  /** The files a stored release.json lists; none when it is not one (a foreign file by that name). */
  private List<ArtifactRef> listedIn(ArtifactRef releaseJson) throws IOException {
    JsonNode manifest;
    try (InputStream in = store.open(releaseJson.sha256())) {
      manifest = JSON.readTree(in);
    } catch (JsonProcessingException e) {
      return List.of();
    }
    List<ArtifactRef> files = new ArrayList<>();
    for (JsonNode artifact : manifest.path("artifacts")) {
      try {
        files.add(new ArtifactRef(artifact.path("name").asText(),
            ArtifactKind.valueOf(artifact.path("kind").asText().toUpperCase(Locale.ROOT)),
            artifact.path("sha256").asText(), artifact.path("size").asLong()));
      } catch (IllegalArgumentException notOurs) {
        return List.of();
      }
    }
    return files;
  }

  /** A published file, read back from the target into the store when the store lacks it. */
  private ArtifactRef fetch(PublishTarget target, ArtifactRef published, Path scratch) throws IOException {
    if (store.contains(published.sha256())) {
      return published;
    }
    Path file = Files.createTempFile(Files.createDirectories(scratch), "", "-" + published.name());
    try {
      progress.run();
      try (InputStream in = target.read(published.name())) {
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      }
      ArtifactRef stored = store.put(file, published.name(), published.kind());
      if (!stored.sha256().equals(published.sha256())) {
        // it changed after it was hashed: the next attempt looks again
        throw new IOException(target.url() + published.name() + " changed while it was read back (sha256:"
            + stored.sha256() + ", expected sha256:" + published.sha256() + ")");
      }
      return published;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Stages one file unless it is there already; returns whether it was sent. Its blob is read whole and checked first
   * (once per publication), so no damaged byte leaves the store.
   */
  private boolean stage(PublishTarget target, String path, ArtifactRef file, Set<String> verified) throws IOException {
    if (target.size(path) == file.size() && target.sha256(path).orElse("").equals(file.sha256())) {
      return false;
    }
    progress.run();
    if (verified.add(file.sha256())) {
      try {
        store.verify(file.sha256());
      } catch (BlobIntegrityException e) {
        if (e.localCopy()) {
          throw e;
        }
        throw new StageFailure(Failures.DIGEST_MISMATCH, "nothing was published: " + file.name() + " changed after"
            + " it was built: " + e.getMessage() + ". Find what altered the store, then resume the release (release"
            + " resume) to build it again");
      }
    }
    target.write(path, file.size(), file.sha256(), () -> new FilterInputStream(store.open(file.sha256())) {
      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        progress.run();
        return super.read(buffer, offset, length);
      }
    });
    long size = target.size(path);
    String sha256 = target.sha256(path).orElse("none");
    if (size != file.size() || !sha256.equals(file.sha256())) {
      // a damaged transfer: the next attempt sends it again
      throw new IOException(target.url() + path + " was staged as " + size + " bytes with sha256:" + sha256
          + ", expected " + file.size() + " bytes with sha256:" + file.sha256());
    }
    return true;
  }
}
