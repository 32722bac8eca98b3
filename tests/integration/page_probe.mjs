// Test probe: opens a composed page from file:// in headless Chromium (Debian's chromium
// through the validators' playwright-core) and prints what the page corpus test asserts:
//   node page_probe.mjs --validators DIR --page FILE --regions a,b --token NAME
//   {"console_errors": [..], "duplicate_ids": [..], "regions": [{"id","top","text"}],
//    "token_value": "...", "token_hits": N, "cards": {"<region>": "border|background|color"}}
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].slice(2)] = process.argv[i + 1];
const require = createRequire(join(args.validators, 'package.json'));
const { chromium } = require('playwright-core');
const dataDir = mkdtempSync(join(tmpdir(), 'hfs-probe-'));
const context = await chromium.launchPersistentContext(dataDir, {
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND'],
});
try {
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(args.page).href, { waitUntil: 'load', timeout: 30000 });
  await page.waitForTimeout(300);
  const facts = await page.evaluate(({ regions, token }) => {
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    const duplicate = ids.filter((id, i) => ids.indexOf(id) !== i);
    const out = { duplicate_ids: [...new Set(duplicate)], regions: [], cards: {} };
    for (const id of regions) {
      const root = document.getElementById(id);
      out.regions.push({ id, top: root ? root.getBoundingClientRect().top : -1,
                         text: root ? root.innerText.trim().length : 0 });
      const card = root && root.querySelector('.card');
      if (card) {
        const s = getComputedStyle(card);
        out.cards[id] = `${s.borderTopColor}|${s.backgroundColor}|${s.color}`;
      }
    }
    // The token's value as the browser resolves it, and how many region elements show it.
    const probe = document.createElement('div');
    probe.style.color = `var(${token})`;
    document.body.appendChild(probe);
    out.token_value = getComputedStyle(probe).color;
    probe.remove();
    let hits = 0;
    for (const el of document.querySelectorAll('[data-region] *')) {
      const s = getComputedStyle(el);
      if ([s.color, s.backgroundColor, s.borderTopColor].includes(out.token_value)) hits += 1;
    }
    out.token_hits = hits;
    return out;
  }, { regions: args.regions.split(','), token: args.token });
  process.stdout.write(JSON.stringify({ console_errors: errors, ...facts }) + '\n');
} finally {
  await context.close();
  rmSync(dataDir, { recursive: true, force: true });
}
