// HFS validator: renders a page in headless Chromium (driven by playwright-core) with the
// network blocked, and optionally audits it with axe-core.
//
//   node render.mjs --page SITE/dist/index.html --regions hero,faq --screenshot out.png
//                   [--chromium /usr/bin/chromium] [--axe] [--sandbox] [--timeout-ms 30000]
//
// --regions lists the element ids of the page's visible regions in page order: each must be
// present, visible (a size, not display:none, visibility:hidden or opacity 0) and not empty
// (text, or an image, svg, video, canvas, iframe or form control), and those that are present
// and visible must appear in that order from top to bottom (a region may share its top
// with the one before it, side by side).
// The page is opened from file:// (dist/index.html of a build, or index.html); every request
// that is not file:// (or data:/blob:) fails (no host resolves, the proxy is a closed local
// port) and is listed. Chromium starts with a fresh user data directory (in $TMPDIR) and
// --headless --disable-gpu --disable-background-networking --disable-component-update
// --disable-sync --no-first-run, with its sandbox when --sandbox is given, else with
// --no-sandbox.
// Chromium runs in a process group of its own (playwright's), so this script ends it: on
// SIGTERM, SIGINT or SIGHUP, and when its parent is gone, it exits at once, and on exit
// playwright kills the browser's process group; the user data directory goes too.
// Prints one JSON object on stdout:
//   {"tool":"chromium","version","ok","console_errors":[{"text","url","line"}],
//    "page_errors":[{"text","url","line"}],"blocked_requests":[url],"missing_resources":[url],
//    "regions":[{"id","present","visible","empty","top"}],
//    "order":{"ok","expected":[id],"actual":[id]},"screenshot":path|null,
//    "axe":null|{"version","violations":[{"id","impact","help","helpUrl","nodes":[{"target","html","section"}]}]}}
// Exit status 0 when the JSON was printed, 1 when the browser could not be driven (the
// reason on stderr), 2 on bad usage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

// Ending: process.exit runs playwright's exit handler, which kills the browser's group.
let userDataDir = '';
process.on('exit', () => {
  try {
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  } catch {
    // The browser may still be writing there; the caller's temporary directory holds it.
  }
});
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => process.exit(1));
}
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 200).unref();
const args = {};
for (let i = 2; i < process.argv.length; ++i) {
  const arg = process.argv[i];
  if (!arg.startsWith('--')) continue;
  const next = process.argv[i + 1];
  if (next === undefined || next.startsWith('--')) args[arg.slice(2)] = true;
  else args[arg.slice(2)] = process.argv[++i];
}
if (!args.page) {
  console.error('usage: node render.mjs --page FILE --regions a,b --screenshot out.png [--axe]');
  process.exit(2);
}
const timeout = Number(args['timeout-ms'] || 30000);
const regions = typeof args.regions === 'string' && args.regions !== ''
  ? args.regions.split(',') : [];

// "file:///tmp/x/app.js:3:5" -> {url, line}
function locate(url, line) {
  return { url: url || '', line: Number.isInteger(line) ? line : 0 };
}
function firstStackFrame(stack) {
  const match = /(file:\/\/[^\s)]+):(\d+):(\d+)/.exec(stack || '');
  return match ? locate(match[1], Number(match[2])) : locate('', 0);
}

userDataDir = mkdtempSync(join(tmpdir(), 'hfs-chromium-'));
const sandbox = args.sandbox === true;
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: args.chromium || '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: sandbox,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ['--headless', ...(sandbox ? [] : ['--no-sandbox']), '--disable-gpu',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--no-first-run', '--host-resolver-rules=MAP * ~NOTFOUND',
           '--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=<-loopback>'],
    viewport: { width: 1280, height: 800 },
    offline: false,
    timeout,
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(timeout);
  const report = {
    tool: 'chromium', version: context.browser() ? context.browser().version() : '',
    ok: true, console_errors: [], page_errors: [], blocked_requests: [], missing_resources: [], regions: [],
    order: { ok: true, expected: [], actual: [] }, screenshot: null, axe: null,
  };
  // The network is blocked by Chromium itself (no host resolves, every proxied request goes
  // to a closed port), so that file:// loads are never intercepted.
  const blocked = new Set();
  page.on('requestfailed', (request) => {
    const url = request.url();
    if (/^(file|data|blob):/.test(url) || blocked.has(url)) return;
    blocked.add(url);
    report.blocked_requests.push(url);
  });
  // The page's own messages only: the audit's are not the page's errors.
  let auditing = false;
  page.on('console', (msg) => {
    if (msg.type() !== 'error' || auditing) return;
    const where = msg.location();
    // A request this validator blocked is reported as blocked, a missing local file as a
    // missing resource: neither is an error of the page's code.
    if (/^Failed to load resource/.test(msg.text())) {
      if (!blocked.has(where.url) && /^file:/.test(where.url || '')) report.missing_resources.push(where.url);
      return;
    }
    report.console_errors.push({ text: msg.text(), ...locate(where.url, where.lineNumber + 1) });
  });
  page.on('pageerror', (error) => {
    report.page_errors.push({ text: String(error.message || error), ...firstStackFrame(error.stack) });
  });
  await page.goto(pathToFileURL(args.page).href, { waitUntil: 'load' });
  // Let effects and deferred scripts settle.
  await page.waitForTimeout(300);
  report.regions = await page.evaluate((ids) => ids.map((id) => {
    const element = document.getElementById(id);
    if (!element) return { id, present: false, visible: false, empty: true, top: 0 };
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    const visible = box.width > 0 && box.height > 0 && style.display !== 'none' &&
      style.visibility !== 'hidden' && Number(style.opacity) !== 0;
    const empty = element.textContent.trim() === '' &&
      !element.querySelector('img,svg,video,canvas,iframe,picture,input,button,select,textarea,object');
    return { id, present: true, visible, empty, top: Math.round(box.top + window.scrollY) };
  }), regions);
  // Page order: the shown regions, top to bottom (ties keep the given order).
  const shown = report.regions.filter((r) => r.present && r.visible);
  report.order.expected = shown.map((r) => r.id);
  report.order.actual = shown.map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.top - b.r.top || a.i - b.i).map(({ r }) => r.id);
  report.order.ok = report.order.expected.every((id, i) => id === report.order.actual[i]);
  if (typeof args.screenshot === 'string') {
    await page.screenshot({ path: args.screenshot, fullPage: true });
    report.screenshot = args.screenshot;
  }
  if (args.axe) {
    auditing = true;
    await page.addScriptTag({ path: join(here, 'node_modules', 'axe-core', 'axe.min.js') });
    report.axe = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'], preload: false });
      return {
        version: window.axe.version,
        violations: result.violations.map((v) => ({
          id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl || '',
          nodes: v.nodes.map((n) => {
            const element = document.querySelector(n.target.join(' '));
            const section = element && element.closest('[data-section]');
            return { target: n.target.join(' '), html: n.html,
                     section: section ? section.getAttribute('data-section') : '' };
          }),
        })),
      };
    });
  }
  report.ok = report.console_errors.length === 0 && report.page_errors.length === 0 &&
    report.regions.every((r) => r.present && r.visible && !r.empty) && report.order.ok;
  process.stdout.write(JSON.stringify(report) + '\n');
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
} catch (error) {
  console.error(`render: ${error && error.message ? error.message : error}`);
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
  process.exit(1);
}
