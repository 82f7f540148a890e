package dev.durablerelease.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.policy.PolicyVersions.ReadVersion;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.store.Digests;
import dev.durablerelease.version.DerivedNames;
import dev.durablerelease.version.SchemeVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order of a project's releases on a target: every version published there is recorded in the store (beside the
 * publish ledger), and a new release must be greater than the greatest final any of its targets holds (that record,
 * and the target's own listing where it has one), unless it belongs to a maintenance line ({@code 3.12.*}) and is
 * greater than that line's greatest final. A re-run of a version already published is not refused here: the publish
 * ledger decides whether it is the same release.
 */
public final class ReleaseOrder {
  private static final Logger log = LoggerFactory.getLogger(ReleaseOrder.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RELEASE_JSON = "release.json";

  /**
   * Where a target keeps a project's releases: the folder before the first part of its URL that the version names
   * ({@code …/hello/} of {@code …/hello/{version}/}), and how an entry of that folder names a release.
   *
   * @param folder the folder URL, ending with '/'
   * @param entry the folder entry's template, e.g. {@code {version}} or {@code hello-{version}}; null when the URL
   *     names no version, or names it in a way the entry alone does not tell
   * @param rest what follows the entry up to the release's files, e.g. {@code files/}
   */
  record Place(String folder, String entry, String rest) {

    static Place of(String template) {
      int first = -1;
      Matcher m = DerivedNames.PLACEHOLDER.matcher(template);
      while (m.find()) {
        if (!m.group(1).equals("project")) {
          first = m.start();
          break;
        }
      }
      if (first < 0) {
        return new Place(template, null, "");
      }
      int start = template.lastIndexOf('/', first) + 1;
      int end = template.indexOf('/', first);
      String entry = template.substring(start, end < 0 ? template.length() : end);
      String rest = end < 0 ? "" : template.substring(end + 1);
      long placeholders = DerivedNames.PLACEHOLDER.matcher(entry).results().count();
      boolean readable = placeholders == 1 && (entry.contains("{version}") || entry.contains("{normalizedVersion}"))
          && !DerivedNames.PLACEHOLDER.matcher(rest).find();
      return new Place(template.substring(0, start), readable ? entry : null, rest);
    }

    /** The version an entry of the folder names, or null. */
    String versionOf(String name) {
      if (entry == null) {
        return null;
      }
      String regex = Pattern.quote(entry).replace("{version}", "\\E(.+)\\Q").replace("{normalizedVersion}",
          "\\E(.+)\\Q");
      Matcher m = Pattern.compile(regex).matcher(name);
      return m.matches() ? m.group(1) : null;
    }
  }

  /**
   * One target of the release.
   *
   * @param name its name in the policy
   * @param template where it puts the project's releases, {project} expanded (see {@link ReleaseTargets#template})
   * @param listing lists a folder of the target
   */
  public record TargetPlace(String name, String template, Lister listing) {}

  private final ArtifactStore store;

  public ReleaseOrder(ArtifactStore store) {
    this.store = store;
  }

  /** The folder a target's release template keeps this project's releases in. */
  public static String folderOf(String template) {
    return Place.of(template).folder();
  }

  /**
   * Refuses a version that is not greater than the greatest final these targets hold, naming both; a version its
   * scheme does not order (none) is not checked.
   *
   */
  public void check(String project, ReadVersion version, List<TargetPlace> targets) throws IOException {
    if (version.parsed() == null) {
      return;
    }
    SchemeVersion asked = version.parsed();
    String line = version.maintenanceLines().stream().filter(asked::inLine).findFirst().orElse(null);
    SchemeVersion greatest = null;
    String where = null;
    for (TargetPlace target : targets) {
      Place place = Place.of(target.template());
      for (String published : published(project, place, target.listing())) {
        SchemeVersion other = version.sameScheme(published);
        if (other == null) {
          log.warn("{} on {} is not a {} version; the order check leaves it out", published, target.name(),
              version.scheme());
          continue;
        }
        if (other.sameRelease(asked)) {
          return; // a re-run of a release already published: the publish ledger compares its files
        }
        if (other.facts().prerelease() || line != null && !other.inLine(line)) {
          continue;
        }
        if (greatest == null || other.compareTo(greatest) > 0) {
          greatest = other;
          where = target.name();
        }
      }
    }
    if (greatest != null && asked.compareTo(greatest) <= 0) {
      throw new StageFailure(Failures.VERSION_NOT_NEWER, project + " " + asked.facts().version() + " is not greater"
          + " than " + greatest.facts().version() + ", the greatest final " + (line == null ? "" : "of the maintenance"
          + " line " + line + " ") + "already published to " + where + "; release a greater version"
          + (line == null ? ", or declare the line this one continues as a maintenance line (maintenanceLines: [\""
          + String.join(".", asked.releaseNumbers().subList(0, Math.min(2, asked.releaseNumbers().size())).stream()
              .map(Object::toString).toList()) + ".*\"] in release.yaml, or the policy's versions:)" : ""));
    }
  }

  /** Lists a folder (a URL) of a target; empty when the target has no listing. */
  @FunctionalInterface
  public interface Lister {
    Optional<List<String>> list(String folderUrl) throws IOException;
  }

  /** Records that a version of the project is published at the target's release URL template. */
  public void record(String project, String template, String version, String run) throws IOException {
    String key = key(project, Place.of(template).folder()) + "/" + HexFormat.of().formatHex(
        version.getBytes(StandardCharsets.UTF_8));
    store.createRecord(key, JSON.writeValueAsBytes(new Published(project, version, run)));
  }

  record Published(String project, String version, String run) {}

  /** The versions of the project recorded for this place, and those its listing shows as complete releases. */
  private List<String> published(String project, Place place, Lister listing) throws IOException {
    List<String> versions = new ArrayList<>();
    for (String name : store.listRecords(key(project, place.folder()))) {
      versions.add(new String(HexFormat.of().parseHex(name), StandardCharsets.UTF_8));
    }
    if (place.entry() != null) {
      Optional<List<String>> entries = listing.list(place.folder());
      for (String entry : entries.orElse(List.of())) {
        String version = place.versionOf(entry);
        if (version != null && !versions.contains(version)
            && listing.list(place.folder() + entry + "/" + place.rest()).orElse(List.of()).contains(RELEASE_JSON)) {
          versions.add(version); // release.json is published last: a folder holding it is a whole release
        }
      }
    }
    return versions;
  }

  private static String key(String project, String folder) {
    String place = PublishLedger.place(folder) + "\n" + project;
    return "published/" + Digests.sha256Hex(place.getBytes(StandardCharsets.UTF_8));
  }
}
