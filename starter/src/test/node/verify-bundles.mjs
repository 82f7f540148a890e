// Independent check of a release folder's Sigstore bundles with sigstore-js (@sigstore/verify), offline:
// every FILE.sigstore must verify over FILE with the given trusted root, certificate identity and OIDC issuer.
// Usage: node verify-bundles.mjs DIR TRUSTED_ROOT IDENTITY ISSUER; exit 0 only when every bundle verifies.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';

const [dir, trustedRootPath, identity, issuer] = process.argv.slice(2);
if (!issuer) {
  console.error('usage: node verify-bundles.mjs DIR TRUSTED_ROOT IDENTITY ISSUER');
  process.exit(2);
}

const trustMaterial = toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(readFileSync(trustedRootPath, 'utf8'))));
// two timestamps: the log's integrated time and the timestamp authority's token, both checked
const verifier = new Verifier(trustMaterial, { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 2 });

const bundles = readdirSync(dir).filter((name) => name.endsWith('.sigstore')).sort();
let failed = 0;
for (const bundleName of bundles) {
  const file = bundleName.slice(0, -'.sigstore'.length);
  try {
    const bundle = bundleFromJSON(JSON.parse(readFileSync(join(dir, bundleName), 'utf8')));
    verifier.verify(toSignedEntity(bundle, readFileSync(join(dir, file))),
      { subjectAlternativeName: identity, extensions: { issuer } });
    console.log(`verified ${file}`);
  } catch (error) {
    failed++;
    console.log(`REJECTED ${file}: ${error.code ?? error.name}: ${error.message}`);
  }
}
console.log(`sigstore-js: ${bundles.length - failed} of ${bundles.length} bundles verified`);
process.exit(failed === 0 && bundles.length > 0 ? 0 : 1);
