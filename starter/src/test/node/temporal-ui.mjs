// Reads pages of the Temporal UI in headless chromium (Debian's, driven by playwright-core) as a person would:
// opens each URL, reloads it until its visible text holds every expected line (the UI reads visibility, which is
// eventually consistent, and queries running workflows), then saves a screenshot and the visible text.
// Usage: node temporal-ui.mjs CHROMIUM OUT_DIR NAME URL EXPECTED... [-- NAME URL EXPECTED...]...
// Writes OUT_DIR/NAME.png and OUT_DIR/NAME.txt per page; exit 0 only when every page showed all it should.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [executablePath, outDir, ...rest] = process.argv.slice(2);
const pages = [];
for (const arg of rest) {
  if (arg === '--' || pages.length === 0) {
    pages.push([]);
    if (arg === '--') continue;
  }
  pages[pages.length - 1].push(arg);
}
if (!outDir || pages.some((p) => p.length < 2)) {
  console.error('usage: node temporal-ui.mjs CHROMIUM OUT_DIR NAME URL EXPECTED... [-- NAME URL EXPECTED...]...');
  process.exit(2);
}

/** The page's text and that of its frames: the UI renders summaries and details (Temporal Markdown) in frames. */
async function visibleText(page) {
  const texts = [];
  for (const frame of page.frames()) {
    try {
      texts.push(await frame.innerText('body'));
    } catch {
      // a frame that went away while being read
    }
  }
  return texts.join('\n');
}

const profile = mkdtempSync(join(tmpdir(), 'temporal-ui-profile-'));
// a fresh profile, nothing fetched from outside: the UI under test is all there is
const browser = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
    '--no-first-run'],
  viewport: { width: 1440, height: 1000 },
});
let failed = 0;
try {
  for (const [name, url, ...expected] of pages) {
    const page = await browser.newPage();
    const deadline = Date.now() + 60_000;
    let text = '';
    let missing = expected;
    let round = 0;
    await page.goto(url, { waitUntil: 'load' });
    while (true) {
      text = await visibleText(page);
      missing = expected.filter((line) => !text.includes(line));
      if (missing.length === 0 || Date.now() > deadline) break;
      await page.waitForTimeout(1000);
      // the list comes from visibility, which lags: ask again, as a person would press reload
      if (++round % 3 === 0) await page.reload({ waitUntil: 'load' });
    }
    await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
    writeFileSync(join(outDir, `${name}.txt`), text);
    if (missing.length > 0) {
      failed++;
      console.log(`${name}: ${url} never showed: ${missing.join(' | ')}`);
    } else {
      console.log(`${name}: ${url} shows all ${expected.length} expected line(s)`);
    }
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed === 0 ? 0 : 1);
