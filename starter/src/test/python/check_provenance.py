"""in-toto's own reading of a release's provenance, with the in-toto attestation framework's Python bindings
(in-toto-attestation):

- the file is an in-toto Statement v1 (parsed into its protobuf message and validated by Statement.validate);
- its predicate is SLSA Provenance v1: predicateType https://slsa.dev/provenance/v1, parsed strictly into the
  Provenance message (no unknown fields, RFC 3339 times) and holding what the SLSA v1 spec requires, as the
  framework's Go validator checks it (the Python bindings have no validator for this predicate);
- its subjects are exactly the signed files of release.json, with their SHA-256: every artifact that has a bundle,
  except the provenance itself.

Usage: python check_provenance.py PROVENANCE RELEASE_JSON; exit 0 only when every check passes.
"""
import json
import os
import sys

from google.protobuf import json_format
from in_toto_attestation.predicates.provenance.v1 import provenance_pb2
from in_toto_attestation.v1 import statement_pb2
from in_toto_attestation.v1.resource_descriptor import ResourceDescriptor
from in_toto_attestation.v1.statement import Statement

SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1"


def check_predicate(predicate):
    """SLSA v1's required fields, as in-toto attestation's Go Provenance.Validate has them."""
    provenance = json_format.ParseDict(predicate, provenance_pb2.Provenance())
    definition, run = provenance.build_definition, provenance.run_details
    if not definition.build_type:
        raise ValueError("buildDefinition.buildType required")
    if not definition.external_parameters:
        raise ValueError("buildDefinition.externalParameters required")
    if not run.builder.id:
        raise ValueError("runDetails.builder.id required")
    for descriptors in (definition.resolved_dependencies, run.builder.builder_dependencies, run.byproducts):
        for descriptor in descriptors:
            ResourceDescriptor.copy_from_pb(descriptor).validate()


def main(args):
    if len(args) != 2:
        print(__doc__.strip().splitlines()[-1])
        return 2
    provenance_path, release_path = args
    with open(provenance_path, encoding="utf-8") as f:
        document = json.load(f)
    with open(release_path, encoding="utf-8") as f:
        release = json.load(f)
    try:
        statement = Statement.copy_from_pb(json_format.ParseDict(document, statement_pb2.Statement()))
        statement.validate()
        if statement.pb.predicate_type != SLSA_PROVENANCE_V1:
            raise ValueError(f"predicateType is {statement.pb.predicate_type}, not {SLSA_PROVENANCE_V1}")
        check_predicate(document["predicate"])
    except (json_format.ParseError, ValueError) as e:
        print(f"INVALID {provenance_path}: {e}")
        return 1
    print(f"in-toto Statement v1 with a SLSA Provenance v1 predicate: {provenance_path}")

    subjects = {s.name: s.digest.get("sha256") for s in statement.pb.subject}
    own_name = os.path.basename(provenance_path)
    signed = {a["name"]: a["sha256"] for a in release["artifacts"] if a.get("bundle") and a["name"] != own_name}
    if subjects != signed:
        for name in sorted(subjects.keys() | signed.keys()):
            if subjects.get(name) != signed.get(name):
                print(f"MISMATCH {name}: provenance says {subjects.get(name)}, release.json says {signed.get(name)}")
        return 1
    print(f"subjects: the {len(signed)} signed files of {release_path}, digests equal")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
