// HFS build: syntax checks with esbuild, then a static build that opens from file://.
//
//   node build.mjs --dir SITE --format react|vue|svelte|html|vanilla [--out dist]
//
// 1. Every .js/.mjs/.jsx/.ts/.tsx/.css file under SITE (not node_modules/, dot directories
//    or the output directory) is parsed on its own.
// 2. react, vue, svelte: the entry (main.tsx, main.jsx, main.ts or main.js) is bundled as ONE
//    classic IIFE script SITE/OUT/app.js, its CSS as SITE/OUT/app.css (when there is any),
//    and SITE/OUT/index.html loads them with <script src="app.js" defer> and
//    <link rel="stylesheet" href="app.css"> (no type=module: module scripts do not load
//    from file://), keeping the <title>, lang and <body> markup of SITE/index.html. .vue
//    files are compiled with vue/compiler-sfc (script setup with the template inlined,
//    lang="ts", <style> and <style scoped> into app.css), .svelte files with
//    svelte/compiler (Svelte 5, CSS into app.css). process.env.NODE_ENV is "production".
//    Packages come from SITE/node_modules, then from the node_modules beside this script;
//    a bare import of a package found in neither is an error at its file and line.
//    html, vanilla: nothing is built; SITE/index.html is the page.
// Prints one JSON object on stdout (paths relative to SITE, lines 1-based):
//   {"tool":"esbuild","version":"...","ok":true|false,"checked":N,
//    "errors":[{"file","line","column","text"}],"warnings":[...],
//    "page":"dist/index.html"|"index.html"|null}
// Exit status 0 when the JSON was printed (whatever it says), 2 on bad usage.
//
// The script has no dependency on HFS: copied into a generated project beside its
// package.json, `npm install && node build.mjs --dir . --format vue --out dist` rebuilds it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const formats = ['react', 'vue', 'svelte', 'html', 'vanilla'];
const usage = 'usage: node build.mjs --dir SITE --format react|vue|svelte|html|vanilla [--out dist]';
const args = {};
for (let i = 2; i < process.argv.length; ++i) {
  if (process.argv[i].startsWith('--')) args[process.argv[i].slice(2)] = process.argv[++i];
}
const outName = normalize(args.out || 'dist').replace(/[\\/]+$/, '');
if (!args.dir || !formats.includes(args.format) || isAbsolute(outName) || outName === '.' ||
    outName.split(sep).includes('..')) {
  console.error(usage + '\n  (--out is a subdirectory of SITE, such as dist)');
  process.exit(2);
}
const site = resolve(args.dir);
const format = args.format;
const outdir = join(site, outName);
const self = fileURLToPath(import.meta.url);
const checkedExtensions = /\.(m?js|jsx|ts|tsx|css)$/;

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (path === outdir || path === self) continue;
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (checkedExtensions.test(entry.name)) out.push(relative(site, path));
  }
  return out.sort();
}

// An esbuild message as a finding; a .vue/.svelte location in compiled code is moved to the
// source line holding the same text when there is one.
const compiledSources = new Map();  // relative path -> original source
function message(m) {
  const location = m.location;
  const out = {
    file: location ? location.file : '',
    line: location ? location.line : 0,
    column: location ? location.column + 1 : 0,
    text: m.text,
  };
  const missing = /^Could not resolve "((?:@[^/"]+\/)?[^./"][^/"]*)[^"]*"$/.exec(m.text);
  if (missing) {
    out.text += ` (the package "${missing[1]}" is not installed: add it to package.json and run ` +
      'npm install, or import only the packages of the format)';
  }
  const original = location && compiledSources.get(location.file);
  if (original !== undefined && !m.pluginName) {
    const text = (location.lineText || '').trim();
    const at = text === '' ? -1 : original.indexOf(text);
    if (at >= 0) {
      const before = original.slice(0, at);
      out.line = before.split('\n').length;
      out.column = at - before.lastIndexOf('\n') + (location.column - location.lineText.indexOf(text));
    } else {
      out.text += ' (in the compiled component; the line is approximate)';
    }
  }
  return out;
}

async function run(options) {
  try {
    const result = await esbuild.build({ absWorkingDir: site, logLevel: 'silent', ...options });
    return { errors: [], warnings: result.warnings.map(message) };
  } catch (error) {
    if (!error.errors) throw error;
    return { errors: error.errors.map(message), warnings: (error.warnings || []).map(message) };
  }
}

// A framework compiler: the site's own (matching the site's runtime) when it has one, else
// the one beside this script.
async function load(specifier) {
  for (const base of [site, here]) {
    try {
      const url = pathToFileURL(createRequire(join(base, 'noop.js')).resolve(specifier)).href;
      const loaded = await import(url);
      // A CommonJS build may hold its exports under default only.
      return loaded.default && typeof loaded.default === 'object' ? { ...loaded.default, ...loaded } : loaded;
    } catch (error) {
      if (error.code !== 'MODULE_NOT_FOUND' && error.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
    }
  }
  return null;
}

function finding(file, line, column, text, source) {
  return { text, location: { file, line, column: Math.max(column, 0),
                             lineText: source ? source.split('\n')[line - 1] || '' : '' } };
}

// Compiled CSS of components (keyed "<file>.css", relative to SITE), imported by their JS as
// virtual modules.
const componentCss = new Map();
const cssPlugin = {
  name: 'hfs-component-css',
  setup(build) {
    build.onResolve({ filter: /^hfs-css:/ }, (a) => ({ path: a.path.slice(8), namespace: 'hfs-css' }));
    build.onLoad({ filter: /.*/, namespace: 'hfs-css' }, (a) => ({
      contents: componentCss.get(a.path) || '', loader: 'css', resolveDir: dirname(join(site, a.path)),
    }));
  },
};
function withCss(file, code, css) {
  if (!css || css.trim() === '') return code;
  componentCss.set(file + '.css', css);
  return `${code}\nimport ${JSON.stringify('hfs-css:' + file + '.css')};\n`;
}

function vuePlugin(compiler) {
  return {
    name: 'hfs-vue',
    setup(build) {
      build.onLoad({ filter: /\.vue$/ }, (a) => {
        const file = relative(site, a.path);
        const source = readFileSync(a.path, 'utf8');
        compiledSources.set(file, source);
        if (!compiler) {
          return { errors: [finding(file, 1, 0, 'vue/compiler-sfc is not installed (npm install vue)', source)] };
        }
        return compileVue(compiler, a.path, file, source);
      });
    },
  };
}

function compileVue(compiler, path, file, source) {
  const { descriptor, errors } = compiler.parse(source, { filename: file, sourceMap: false });
  if (errors.length > 0) {
    return { errors: errors.map((e) => finding(file, e.loc ? e.loc.start.line : 1,
                                                 e.loc ? e.loc.start.column - 1 : 0, e.message, source)) };
  }
  const id = createHash('sha256').update(file).digest('hex').slice(0, 8);
  const scoped = descriptor.styles.some((s) => s.scoped);
  const setup = descriptor.scriptSetup;
  const script = setup || descriptor.script;
  let code = 'const __sfc__ = {};\n';
  try {
    if (script) {
      code = compiler.compileScript(descriptor, {
        id: `data-v-${id}`, isProd: true, inlineTemplate: Boolean(setup), genDefaultAs: '__sfc__',
        templateOptions: { compilerOptions: { comments: false } },
      }).content + '\n';
    }
    if (descriptor.template && !setup) {
      const template = compiler.compileTemplate({
        source: descriptor.template.content, ast: descriptor.template.ast, filename: file, id,
        scoped, isProd: true, compilerOptions: { bindingMetadata: script ? script.bindings : undefined },
      });
      if (template.errors.length > 0) throw template.errors[0];
      code += template.code.replace(/\bexport function render\b/, 'function render') +
        '\n__sfc__.render = render;\n';
    }
  } catch (error) {
    // Script errors are placed in the script block, template errors in the file.
    const loc = error.loc && error.loc.start ? error.loc.start : error.loc;
    const inScript = script && loc && !error.loc.start;
    const line = loc ? (inScript ? script.loc.start.line + loc.line - 1 : loc.line)
      : (script ? script.loc.start.line : 1);
    const column = loc ? (inScript ? loc.column : loc.column - 1) : 0;
    const text = String(error.message).split('\n')[0].replace(/ \(\d+:\d+\)$/, '');
    return { errors: [finding(file, line, column, text, source)] };
  }
  if (scoped) code += `__sfc__.__scopeId = "data-v-${id}";\n`;
  code += 'export default __sfc__;\n';
  let css = '';
  for (const style of descriptor.styles) {
    if ((style.lang && style.lang !== 'css') || style.module || style.src) {
      return { errors: [finding(file, style.loc.start.line, 0,
        'only plain <style> and <style scoped> blocks are supported (no lang, module or src)', source)] };
    }
    const compiled = compiler.compileStyle({
      source: style.content, filename: file, id: `data-v-${id}`, scoped: Boolean(style.scoped), isProd: true,
    });
    if (compiled.errors.length > 0) {
      const e = compiled.errors[0];
      return { errors: [finding(file, style.loc.start.line + (e.line || 1) - 1, (e.column || 1) - 1,
                                String(e.reason || e.message).split('\n')[0], source)] };
    }
    css += compiled.code + '\n';
  }
  const lang = script && script.lang;
  return {
    contents: withCss(file, code, css), resolveDir: dirname(path),
    loader: lang === 'ts' ? 'ts' : lang === 'tsx' ? 'tsx' : lang === 'jsx' ? 'jsx' : 'js',
  };
}

function sveltePlugin(compiler) {
  return {
    name: 'hfs-svelte',
    setup(build) {
      build.onLoad({ filter: /\.svelte$/ }, (a) => {
        const file = relative(site, a.path);
        const source = readFileSync(a.path, 'utf8');
        compiledSources.set(file, source);
        if (!compiler) {
          return { errors: [finding(file, 1, 0, 'svelte/compiler is not installed (npm install svelte)', source)] };
        }
        let result;
        try {
          result = compiler.compile(source, { filename: file, generate: 'client', css: 'external', dev: false });
        } catch (error) {
          const start = error.start || { line: 1, column: 0 };
          return { errors: [finding(file, start.line, start.column,
                                    String(error.message).split('\n')[0], source)] };
        }
        const warnings = result.warnings.map((w) => finding(file, w.start ? w.start.line : 1,
          w.start ? w.start.column : 0, String(w.message).split('\n')[0], source));
        return {
          contents: withCss(file, result.js.code, result.css && result.css.code),
          resolveDir: dirname(a.path), loader: 'js', warnings,
        };
      });
    },
  };
}

const assetLoaders = {
  '.json': 'json', '.png': 'dataurl', '.jpg': 'dataurl', '.jpeg': 'dataurl', '.gif': 'dataurl',
  '.svg': 'dataurl', '.webp': 'dataurl', '.avif': 'dataurl', '.ico': 'dataurl',
  '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.otf': 'dataurl',
};

function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// dist/index.html from SITE/index.html: its lang, title and body markup, without the
// scripts that loaded the unbuilt entry.
function pageHtml(entry, hasCss) {
  const sourcePath = join(site, 'index.html');
  const source = existsSync(sourcePath) ? readFileSync(sourcePath, 'utf8') : '';
  const lang = (/<html[^>]*\slang\s*=\s*["']([^"']*)["']/i.exec(source) || [])[1] || 'en';
  const title = (/<title[^>]*>([\s\S]*?)<\/title>/i.exec(source) || [])[1];
  let body = (/<body[^>]*>([\s\S]*?)<\/body>/i.exec(source) || [])[1];
  if (body === undefined) body = `\n    <div id="${format === 'react' ? 'root' : 'app'}"></div>\n  `;
  const entryName = entry.replace(/\.[^.]+$/, '');
  body = body.replace(/[ \t]*<script\b([^>]*)>[\s\S]*?<\/script>[ \t]*\n?/gi, (tag, attributes) =>
    /type\s*=\s*["']?module/i.test(attributes) || new RegExp(`src\\s*=\\s*["']?/?(\\./)?${entryName}\\.`).test(attributes)
      ? '' : tag);
  return '<!DOCTYPE html>\n' +
    `<html lang="${escapeHtml(lang)}">\n  <head>\n    <meta charset="UTF-8" />\n` +
    '    <meta name="viewport" content="width=device-width, initial-scale=1.0" />\n' +
    `    <title>${title === undefined ? 'HFS frontend' : title.trim()}</title>\n` +
    (hasCss ? '    <link rel="stylesheet" href="app.css" />\n' : '') +
    '    <script src="app.js" defer></script>\n' +
    `  </head>\n  <body>${body.replace(/\s+$/, '')}\n  </body>\n</html>\n`;
}

async function buildApp(report) {
  const candidates = format === 'react' ? ['main.tsx', 'main.jsx', 'main.ts', 'main.js'] : ['main.ts', 'main.js'];
  const entry = candidates.find((f) => existsSync(join(site, f)));
  if (!entry) {
    report.ok = false;
    report.errors.push({ file: '', line: 0, column: 0, text: `no ${candidates.join(' or ')} entry point to build` });
    return;
  }
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const plugins = [cssPlugin];
  if (format === 'vue') plugins.push(vuePlugin(await load('vue/compiler-sfc')));
  if (format === 'svelte') plugins.push(sveltePlugin(await load('svelte/compiler')));
  const built = await run({
    entryPoints: { app: entry }, bundle: true, write: true, outdir, format: 'iife',
    platform: 'browser', target: 'es2020', jsx: 'automatic', charset: 'utf8',
    loader: { ...(format === 'react' ? { '.js': 'jsx' } : {}), ...assetLoaders },
    nodePaths: [...new Set([join(site, 'node_modules'), join(here, 'node_modules')])],
    mainFields: format === 'svelte' ? ['svelte', 'browser', 'module', 'main'] : undefined,
    conditions: format === 'svelte' ? ['svelte', 'browser'] : undefined,
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    plugins,
  });
  report.errors.push(...built.errors);
  report.warnings.push(...built.warnings);
  report.ok = built.errors.length === 0;
  if (!report.ok) {
    rmSync(outdir, { recursive: true, force: true });
    return;
  }
  writeFileSync(join(outdir, 'index.html'), pageHtml(entry, existsSync(join(outdir, 'app.css'))));
  report.page = join(outName, 'index.html');
}

const files = listFiles(site);
// 1. Syntax: every file on its own, nothing written.
const syntax = files.length === 0 ? { errors: [], warnings: [] } : await run({
  entryPoints: files, bundle: false, write: false, outdir: join(outdir, '.syntax'),
  loader: format === 'react' ? { '.js': 'jsx' } : {}, jsx: 'automatic',
});
const report = {
  tool: 'esbuild', version: esbuild.version, ok: syntax.errors.length === 0,
  checked: files.length, errors: syntax.errors, warnings: syntax.warnings, page: null,
};
// 2. The static build.
if (format === 'html' || format === 'vanilla') {
  if (existsSync(join(site, 'index.html'))) report.page = 'index.html';
} else if (report.ok) {
  await buildApp(report);
}
process.stdout.write(JSON.stringify(report) + '\n');
