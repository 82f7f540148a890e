package dev.durablerelease.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.durablerelease.archive.ArchiveSettings;
import dev.durablerelease.archive.ArchiveWriter;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.git.FetchMonitor;
import dev.durablerelease.git.GitCache;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.store.Digests;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.version.Versions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hello sample (committed with a fixed author and date) still builds to the digests pinned here, with the library
 * versions and compression settings they were made with. A dependency upgrade or an engine change that changes the
 * bytes fails here, saying which recorded setting changed: otherwise older releases would silently stop rebuilding
 * byte for byte ({@code release verify --rebuild}).
 */
class PinnedDigestsTest {
  private static final String PINNED = "/pinned-digests.json";
  /** Where the digests of this run are written, to be copied over the pinned ones when a change is deliberate. */
  private static final Path CURRENT = Path.of("target", "pinned-digests.json");
  /** The SBOMs name the engine; pinned with a fixed name so that a version bump alone changes nothing. */
  private static final String ENGINE = "pinned";
  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  @TempDir
  Path tmp;

  /** The digests and what made them. */
  record Pinned(Map<String, String> versions, Map<String, String> archives, Map<String, Sample> samples) {}

  /** One sample repository: its tree, and the digests of its archives and SBOMs. */
  record Sample(String tree, Map<String, String> digests) {}

  @Test
  void theSampleStillBuildsToThePinnedBytes() throws Exception {
    Pinned pinned;
    try (InputStream in = PinnedDigestsTest.class.getResourceAsStream(PINNED)) {
      pinned = JSON.readValue(in, new TypeReference<>() {});
    }
    Map<String, Sample> samples = new TreeMap<>();
    // examples/hello as it is, in every format; and with a file large enough for several gzip blocks and two xz
    // streams (zip deflates with the same zlib as gzip, in one stream: the first sample covers it)
    samples.put("hello", build("hello", "[tar.gz, tar.xz, zip]", repo -> { }));
    samples.put("hello-large", build("hello-large", "[tar.gz, tar.xz]",
        repo -> repo.writeFile("data/lines.txt", lines(17 << 19)).commitAll("a large file")));
    Pinned now = new Pinned(ArchiveSettings.libraries(), ArchiveSettings.compression(), samples);
    Files.createDirectories(CURRENT.getParent());
    JSON.writeValue(CURRENT.toFile(), now);

    List<String> changedBytes = new ArrayList<>();
    List<String> changedSamples = new ArrayList<>();
    now.samples().forEach((name, sample) -> {
      Sample old = pinned.samples().get(name);
      if (!sample.tree().equals(old.tree())) {
        changedSamples.add(name + " (tree " + old.tree() + ", now " + sample.tree() + ")");
      }
      sample.digests().forEach((file, digest) -> {
        if (!digest.equals(old.digests().get(file))) {
          changedBytes.add(file + " of " + name);
        }
      });
    });
    assertThat(changedBytes).as(() -> "the bytes of " + String.join(", ", changedBytes) + " are not the pinned"
        + " ones: a release made before this change no longer rebuilds byte for byte (release verify --rebuild says"
        + " differs). " + why(pinned, now, changedSamples) + " If the change is deliberate, say so in the release"
        + " notes and pin the new digests: cp activities/" + CURRENT + " activities/src/test/resources" + PINNED)
        .isEmpty();
  }

  /** Which setting the provenance records changed between the pinned digests and now. */
  private static String why(Pinned pinned, Pinned now, List<String> changedSamples) {
    List<String> changes = new ArrayList<>();
    changed(pinned.versions(), now.versions(), changes);
    changed(pinned.archives(), now.archives(), changes);
    if (!changedSamples.isEmpty()) {
      return "The sample changed, not the engine: " + String.join(", ", changedSamples) + "; pin its new digests.";
    }
    return changes.isEmpty()
        ? "No recorded setting changed (library versions and compression settings are as pinned): the engine's own"
            + " code writes other bytes now."
        : "What changed since the digests were pinned: " + String.join("; ", changes) + ".";
  }

  private static void changed(Map<String, String> before, Map<String, String> after, List<String> changes) {
    Map<String, String> all = new TreeMap<>(before);
    all.putAll(after);
    all.keySet().forEach(key -> {
      if (!String.valueOf(before.get(key)).equals(String.valueOf(after.get(key)))) {
        changes.add(key + " " + before.get(key) + " -> " + after.get(key));
      }
    });
  }

  /** The sample, changed, tagged v1.0.0, built in these formats by the code that rebuilds releases. */
  private Sample build(String name, String formats, Consumer<SampleRepository> change) throws Exception {
    Path dir = tmp.resolve(name);
    try (SampleRepository repo = SampleRepository.create(dir.resolve("repo"))) {
      change.accept(repo);
      repo.tag(SampleRepository.TAG);
      String yaml = Files.readString(repo.dir().resolve("release.yaml"))
          .replace("source:\n", "source:\n  formats: " + formats + "\n");
      ReleaseSpec spec = SpecLoader.load(yaml, "release.yaml", new SpecLoader.Overrides(repo.url(), null));
      GitCache git = new GitCache(dir.resolve("git"));
      GitCache.ResolvedTag tag = git.fetchTag(repo.url(), SampleRepository.TAG, new FetchMonitor());
      SourceRebuild.Made made = SourceRebuild.build(new SourceRebuild.Origin(repo.url(), tag.tag(), tag.commit(),
          tag.commitTime(), spec, Versions.facts(spec), ENGINE), git, Files.createDirectories(dir.resolve("out")), ArchiveWriter::write,
          (path, url) -> { }, new FetchMonitor());
      Map<String, String> digests = new TreeMap<>();
      for (Map.Entry<String, Path> file : made.all().entrySet()) {
        digests.put(file.getKey(), Digests.sha256Hex(file.getValue()));
      }
      return new Sample(tag.tree(), digests);
    }
  }

  /**
   * About {@code size} bytes of text that needs several gzip blocks and two xz streams: a numbered paragraph over and
   * over, which compresses quickly.
   */
  private static String lines(int size) {
    String[] words = {"archive", "release", "commit", "builder", "digest", "signature", "tarball", "provenance"};
    StringBuilder paragraph = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      paragraph.append(words[i * i % 8]).append(i % 13 == 0 ? "\n" : " ");
    }
    StringBuilder text = new StringBuilder(size + paragraph.length() + 20);
    for (int i = 0; text.length() < size; i++) {
      text.append(i).append('\n').append(paragraph);
    }
    return text.toString();
  }
}
