// HFS validator: syntax check and bundling with esbuild.
//
//   node bundle.mjs --dir SITE --format html|react [--out SUBDIR]
//
// Checks every .js/.jsx/.ts/.tsx/.mjs/.css file under SITE (paths in findings are relative
// to SITE). For react output it also bundles main.tsx with react and react-dom from this
// package's node_modules into SITE/SUBDIR/bundle.js (+ bundle.css) as one classic script,
// and writes SITE/SUBDIR/index.html that renders it, so a browser can open it from file://.
// Prints one JSON object on stdout:
//   {"tool":"esbuild","version":"...","ok":true|false,"checked":N,
//    "errors":[{"file","line","column","text"}],"warnings":[...],"page":"SUBDIR/index.html"|null}
// Exit status 0 when the JSON was printed (whatever it says), 2 on bad usage.
import { readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) =>
    arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
if (!args.dir || !args.format) {
  console.error('usage: node bundle.mjs --dir SITE --format html|react [--out SUBDIR]');
  process.exit(2);
}
const site = args.dir;
const outName = args.out || '.hfs-bundle';
const checkedExtensions = /\.(m?js|jsx|ts|tsx|css)$/;

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (checkedExtensions.test(entry.name)) out.push(relative(site, path));
  }
  return out.sort();
}

function message(m) {
  return {
    file: m.location ? m.location.file : '',
    line: m.location ? m.location.line : 0,
    column: m.location ? m.location.column + 1 : 0,
    text: m.text,
  };
}

const assetLoaders = {
  '.png': 'dataurl', '.jpg': 'dataurl', '.jpeg': 'dataurl', '.gif': 'dataurl',
  '.svg': 'dataurl', '.webp': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl',
};

async function build(options) {
  try {
    const result = await esbuild.build({ absWorkingDir: site, logLevel: 'silent', ...options });
    return { errors: [], warnings: result.warnings.map(message) };
  } catch (error) {
    if (!error.errors) throw error;
    return { errors: error.errors.map(message), warnings: (error.warnings || []).map(message) };
  }
}

const files = listFiles(site);
const react = args.format === 'react';
const loader = react ? { '.js': 'jsx' } : {};
// 1. Syntax: every file on its own, nothing written.
const syntax = files.length === 0 ? { errors: [], warnings: [] } : await build({
  entryPoints: files, bundle: false, write: false, outdir: join(site, outName, 'syntax'),
  loader, jsx: 'automatic',
});
const report = {
  tool: 'esbuild', version: esbuild.version, ok: syntax.errors.length === 0,
  checked: files.length, errors: syntax.errors, warnings: syntax.warnings, page: null,
};
// 2. React: the app bundled with react and react-dom.
if (react && report.ok) {
  const entry = ['main.tsx', 'main.jsx', 'main.ts', 'main.js'].find((f) => existsSync(join(site, f)));
  if (!entry) {
    report.ok = false;
    report.errors.push({ file: '', line: 0, column: 0, text: 'no main.tsx entry point to bundle' });
  } else {
    const outdir = join(site, outName);
    mkdirSync(outdir, { recursive: true });
    const bundled = await build({
      entryPoints: { bundle: entry }, bundle: true, write: true, outdir, format: 'iife',
      platform: 'browser', jsx: 'automatic', loader: { ...loader, ...assetLoaders },
      nodePaths: [join(here, 'node_modules')],
      define: { 'process.env.NODE_ENV': '"development"' },
    });
    report.errors.push(...bundled.errors);
    report.warnings.push(...bundled.warnings);
    report.ok = bundled.errors.length === 0;
    if (report.ok) {
      const css = existsSync(join(outdir, 'bundle.css'))
        ? '    <link rel="stylesheet" href="bundle.css" />\n' : '';
      writeFileSync(join(outdir, 'index.html'),
        '<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n' +
        '    <title>HFS frontend</title>\n' + css + '  </head>\n  <body>\n' +
        '    <div id="root"></div>\n    <script src="bundle.js"></script>\n  </body>\n</html>\n');
      report.page = join(outName, 'index.html');
    }
  }
}
process.stdout.write(JSON.stringify(report) + '\n');
