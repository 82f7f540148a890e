package dev.durablerelease.sbom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.cyclonedx.Version;
import org.cyclonedx.model.Property;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.ExternalReference;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.OrganizationalEntity;
import org.cyclonedx.model.license.Expression;
import org.cyclonedx.model.metadata.ToolInformation;

/**
 * Writes a CycloneDX 1.6 JSON document with the same facts as the SPDX one: the project as the BOM's subject with the
 * archive's SHA-256, vendored components as libraries it depends on (their files nested in them), and every other
 * file of the archive as a file component with SHA-1 and SHA-256. The serial number derives from the archive's
 * digest and the timestamp is the commit time, so the same archive always gives the same bytes.
 */
final class CycloneDxWriter {
  private CycloneDxWriter() {}

  private static Property property(String name, String value) {
    Property property = new Property();
    property.setName(name);
    property.setValue(value);
    return property;
  }

  static byte[] write(SbomContent content) throws GeneratorException {
    SbomGenerator.Facts facts = content.facts();
    Bom bom = new Bom();
    bom.setSerialNumber("urn:uuid:" + content.uuid("cyclonedx"));
    bom.setVersion(1);

    Component project = new Component();
    project.setType(Component.Type.APPLICATION);
    project.setBomRef(content.projectId());
    project.setName(facts.project());
    project.setVersion(facts.version());
    project.setPurl(facts.purl());
    project.setCpe(facts.cpe());
    project.setLicenses(license(facts.license()));
    project.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, content.archive().sha256())));
    project.setSupplier(organisation(facts.supplier()));
    project.setExternalReferences(distribution(content.downloadLocation()));
    if (facts.releaseLevel() != null) {
      // CycloneDX has no field for it either: two properties say whether this is a pre-release
      project.setProperties(List.of(property("durable-release:releaseLevel", facts.releaseLevel()),
          property("durable-release:prerelease", Boolean.toString(facts.prerelease()))));
    }

    Component tool = new Component();
    tool.setType(Component.Type.APPLICATION);
    tool.setName("durable-release");
    tool.setVersion(facts.toolVersion());
    ToolInformation tools = new ToolInformation();
    tools.setComponents(List.of(tool));

    Metadata metadata = new Metadata();
    metadata.setTimestamp(Date.from(java.time.Instant.ofEpochSecond(facts.commitTime())));
    metadata.setToolChoice(tools);
    metadata.setComponent(project);
    metadata.setSupplier(organisation(facts.supplier()));
    bom.setMetadata(metadata);

    List<Component> components = new ArrayList<>();
    Dependency projectDependencies = new Dependency(content.projectId());
    List<Dependency> dependencies = new ArrayList<>();
    for (SbomContent.Vendored v : content.vendored()) {
      VendoredComponent c = v.component();
      Component library = new Component();
      library.setType(Component.Type.LIBRARY);
      library.setBomRef(v.id());
      library.setName(c.name());
      library.setVersion(c.version());
      library.setPurl(c.purl());
      library.setCpe(c.cpe());
      library.setLicenses(license(c.license()));
      library.setSupplier(organisation(c.supplier()));
      List<Hash> hashes = c.checksums().stream().map(CycloneDxWriter::hash).filter(h -> h != null).toList();
      library.setHashes(hashes.isEmpty() ? null : hashes);
      library.setExternalReferences(distribution(c.downloadLocation()));
      List<Component> files = new ArrayList<>();
      for (SbomContent.DescribedFile f : content.files()) {
        if (f.ownerId().equals(v.id())) {
          files.add(file(f));
        }
      }
      library.setComponents(files.isEmpty() ? null : files);
      components.add(library);
      projectDependencies.addDependency(new Dependency(v.id()));
      Dependency libraryDependencies = new Dependency(v.id());
      v.dependsOn().forEach(dependency -> libraryDependencies.addDependency(new Dependency(dependency)));
      dependencies.add(libraryDependencies);
    }
    for (SbomContent.DescribedFile f : content.files()) {
      if (f.ownerId().equals(content.projectId())) {
        components.add(file(f));
      }
    }
    bom.setComponents(components);
    dependencies.add(0, projectDependencies);
    bom.setDependencies(dependencies);
    String json = BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString();
    return (json.endsWith("\n") ? json : json + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static Component file(SbomContent.DescribedFile f) {
    Component file = new Component();
    file.setType(Component.Type.FILE);
    file.setBomRef(f.id());
    file.setName(f.digest().path());
    file.setHashes(List.of(new Hash(Hash.Algorithm.SHA1, f.digest().sha1()),
        new Hash(Hash.Algorithm.SHA_256, f.digest().sha256())));
    return file;
  }

  /** SPDX checksum algorithm names to CycloneDX's; null for one CycloneDX has no name for. */
  private static Hash hash(VendoredComponent.Checksum checksum) {
    Hash.Algorithm algorithm = switch (checksum.algorithm()) {
      case "SHA1" -> Hash.Algorithm.SHA1;
      case "SHA256" -> Hash.Algorithm.SHA_256;
      case "SHA384" -> Hash.Algorithm.SHA_384;
      case "SHA512" -> Hash.Algorithm.SHA_512;
      case "MD5" -> Hash.Algorithm.MD5;
      default -> null;
    };
    return algorithm == null ? null : new Hash(algorithm, checksum.value().toLowerCase(java.util.Locale.ROOT));
  }

  private static LicenseChoice license(String expression) {
    if (expression == null) {
      return null;
    }
    LicenseChoice choice = new LicenseChoice();
    choice.setExpression(new Expression(expression));
    return choice;
  }

  private static OrganizationalEntity organisation(String name) {
    if (name == null) {
      return null;
    }
    OrganizationalEntity entity = new OrganizationalEntity();
    entity.setName(name.startsWith("Organization: ") ? name.substring("Organization: ".length()) : name);
    return entity;
  }

  private static List<ExternalReference> distribution(String url) {
    if (url == null) {
      return null;
    }
    ExternalReference ref = new ExternalReference();
    ref.setType(ExternalReference.Type.DISTRIBUTION);
    ref.setUrl(url);
    return List.of(ref);
  }
}
