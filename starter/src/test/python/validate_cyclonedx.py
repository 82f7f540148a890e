"""CycloneDX's own check of CycloneDX JSON documents: each file must declare specVersion 1.6 and validate against the
CycloneDX 1.6 JSON schema through cyclonedx-python-lib's strict validator (schemas bundled with the library, nothing
fetched).

Usage: python validate_cyclonedx.py FILE...; one line per file; exit 0 only when every file is valid.
"""
import json
import sys

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator


def problems(validator, text):
    spec_version = json.loads(text).get("specVersion")
    if spec_version != "1.6":
        # the 1.6 schema does not pin specVersion, so a 1.5 document would pass it
        return [f"specVersion is {spec_version!r}, not '1.6'"]
    errors = validator.validate_str(text, all_errors=True)
    return [getattr(error.data, "message", str(error)) for error in errors or []]


def main(files):
    if not files:
        print(__doc__.strip().splitlines()[-1])
        return 2
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    failed = 0
    for name in files:
        with open(name, encoding="utf-8") as document:
            found = problems(validator, document.read())
        if found:
            failed += 1
            print(f"INVALID {name}: " + "; ".join(found))
        else:
            print(f"valid CycloneDX 1.6: {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
