// What getting any wasm into a page through a content script costs, before an agent does any
// work, against the web-vitals attribution snippet's whole cost (docs/overhead.md, "The floor").
// Builds variants of dist/chromium into target/agent-floor/, each doing less than the agent:
//   empty-content-script   the content script does nothing (the isolated world alone)
//   import-empty-module    the content script import()s a one-line module from the extension
//   fetch-tiny-wasm        the content script fetches and instantiates a 35-byte wasm module
//                          from the extension (no import)
//   agent-not-started      the shipped loader: imports the glue, instantiates the agent's wasm,
//                          and stops before start()
//   without-compile-hint   the whole agent, its modules without V8's compile hint (the build
//                          before the hint, for what the hint saves)
//   agent-no-observers     the whole agent, told (in its isolated world) that the browser
//                          supports no entry type: start(), its listeners, no observer
//   agent-web-vitals-types the whole agent observing only the types web-vitals observes
//                          (navigation, paint, largest-contentful-paint, layout-shift, event,
//                          first-input)
//   agent-no-send          the whole agent, its batches dropped instead of sent
//   agent-wasm2js-form     the whole agent in its wasm2js form (the one a strict CSP gets)
//                          on every page
//   agent-one-module       the whole agent, its loader, glue and compat.js bundled into one
//                          module (one import instead of three)
//   agent-inline-wasm      the whole agent, its wasm carried in the loader as base64 instead
//                          of fetched (one request fewer)
//   no-early-batch         the whole agent, its content script only importing and starting it
//                          (no early batch: no observers kept until the agent starts, no
//                          pagehide listener), for what the early batch costs
//   agent-at-document-start  the whole agent and its content script, the agent's import
//                          started at document_start (as shipped until 2026-12-07) instead of
//                          after `load`, for what the later start saves the page's FCP and LCP
//   agent-after-idle       the agent imported once the page is idle after `load` (two
//                          frames, then an idle period) instead of a frame after it
//   bare-extension         an empty content script and no webRequest listener: what the
//                          extension's presence alone costs the page
//   no-web-request         the whole agent, the background without its webRequest listener
//                          (no response headers captured), for what that listener costs the
//                          page's loading (compare the FCP column)
// and two that deliver the peer, web-vitals, the way an extension would:
//   web-vitals-content-script  the benchmark's web-vitals snippet as the content script
//   web-vitals-imported        the content script import()s web-vitals' ES module build from
//                              the extension and asks for every metric (the agent's delivery)
// and compares them, in interleaved loads of the overhead benchmark's page (`--page
// /strict-csp.html` for the wasm2js form), with no extension, web-vitals injected (the
// benchmark's configuration C), the web-vitals library injected but no metric asked for, and
// the whole agent (dist/chromium), by ScriptDuration (scripts/lib/profile-agent.mjs --quick).
// A diagnostic run by hand, not part of the tests.
//
// With --cpu, the extensions alone (variants, web-vitals-imported and the agent) are compared by
// the thread time of extension-rooted trace events instead (profile-agent.mjs --cpu), which a
// busy machine disturbs far less than ScriptDuration.
//
// Usage: node scripts/lib/agent-floor.mjs [--runs N] [--page PATH] [--only NAME,NAME] [--cpu]
//        (default 21 runs, /index.html, every variant)
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ROOT } from './browsers.mjs';
import { webVitalsImportingContentScript, webVitalsInitScript, webVitalsModuleFile } from './web-vitals-snippet.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '21' },
    page: { type: 'string', default: '/index.html' },
    only: { type: 'string' },
    cpu: { type: 'boolean', default: false },
  },
});
const DIST = join(ROOT, 'dist/chromium');
const OUT = join(ROOT, 'target/agent-floor');
/** What scripts/build puts first in each of the agent's modules. */
const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

/** (module (func (export "f") (result i32) i32.const 1)) */
const TINY_WASM = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03,
  0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41,
  0x01, 0x0b,
]);

/** The entry types web-vitals 5 observes (src/on*.ts). */
const WEB_VITALS_TYPES = ['navigation', 'paint', 'largest-contentful-paint', 'layout-shift', 'event', 'first-input'];

/**
 * Replaces `pattern` in the built file `path` of `dir` by `replacement` (a string with $n, or a
 * function), failing loudly when the build no longer has it (`what` says what was looked for).
 */
function patch(dir, path, pattern, replacement, what) {
  const file = join(dir, path);
  const text = readFileSync(file, 'utf8');
  if (!pattern.test(text)) throw new Error(`${file}: no ${what} found; update agent-floor.mjs`);
  writeFileSync(file, text.replace(pattern, replacement));
}

/**
 * Replaces the loader's `start()` call (in `dir`) by `replacement` ($1 glue, $2 send, $3 form,
 * $4 early), an expression: the minified loader's load() calls `<glue>.start(<send>,<form>,<early>)`
 * inside one.
 */
const patchStart = (dir, replacement) =>
  patch(dir, 'agent/loader.js', /(\w+)\.start\((\w+),(\w+),(\w+)\)/, replacement, 'start() call');

/** Script that makes the agent's world see only `types` (of those supported) as supported. */
const onlyTypes = (types) =>
  `(()=>{const k=PerformanceObserver.supportedEntryTypes.filter(t=>${JSON.stringify(types)}.includes(t));` +
  'Object.defineProperty(PerformanceObserver,"supportedEntryTypes",{value:k,configurable:true})})(),';

const VARIANTS = {
  'empty-content-script': (dir) => writeFileSync(join(dir, 'content.js'), '(() => {})();\n'),
  'import-empty-module': (dir) => {
    writeFileSync(join(dir, 'agent/empty.js'), 'export function load() { return 1; }\n');
    writeFileSync(
      join(dir, 'content.js'),
      "(() => { import(chrome.runtime.getURL('agent/empty.js')).then((m) => m.load()).catch(() => {}); })();\n",
    );
  },
  'fetch-tiny-wasm': (dir) => {
    writeFileSync(join(dir, 'agent/tiny.wasm'), TINY_WASM);
    writeFileSync(
      join(dir, 'content.js'),
      `(() => {
  fetch(chrome.runtime.getURL('agent/tiny.wasm'))
    .then((response) => response.arrayBuffer())
    .then((bytes) => WebAssembly.instantiate(bytes, {}))
    .then(({ instance }) => instance.exports.f())
    .catch(() => {});
})();
`,
    );
  },
  'agent-not-started': (dir) => patchStart(dir, 'void $2'),
  'agent-no-observers': (dir) => patchStart(dir, `${onlyTypes([])}$1.start($2,$3,$4)`),
  'agent-web-vitals-types': (dir) => patchStart(dir, `${onlyTypes(WEB_VITALS_TYPES)}$1.start($2,$3,$4)`),
  'agent-no-send': (dir) => patchStart(dir, '$1.start(()=>{},$3,$4)'),
  // The loader fetches the wasm first and falls back to the wasm2js form when that throws.
  'agent-wasm2js-form': (dir) =>
    patch(dir, 'agent/loader.js', /fetch\(\w+\+"pagevitals_agent_bg\.wasm"\)/,
      'Promise.reject(new Error("wasm2js form"))', 'wasm fetch'),
  'without-compile-hint': (dir) => {
    for (const module of ['agent/loader.js', 'agent/pagevitals_agent_bg.js', 'agent/pagevitals_agent_bg.wasm.js']) {
      const file = join(dir, module);
      const text = readFileSync(file, 'utf8');
      if (!text.startsWith(COMPILE_HINT)) throw new Error(`${file} does not start with the compile hint`);
      writeFileSync(file, text.slice(COMPILE_HINT.length).trimStart());
    }
  },
  'agent-one-module': (dir) => {
    execFileSync(join(ROOT, 'node_modules/.bin/esbuild'), [
      join(dir, 'agent/loader.js'), '--bundle', '--minify', '--format=esm', '--log-level=warning',
      `--banner:js=${COMPILE_HINT}`, `--outfile=${join(dir, 'agent/loader.js')}`, '--allow-overwrite',
    ]);
  },
  'agent-inline-wasm': (dir) => {
    const base64 = readFileSync(join(dir, 'agent/pagevitals_agent_bg.wasm')).toString('base64');
    patch(dir, 'agent/loader.js', /await\(await fetch\(\w+\+"pagevitals_agent_bg\.wasm"\)\)\.arrayBuffer\(\)/,
      () => `Uint8Array.fromBase64("${base64}")`, 'wasm fetch');
  },
  'no-early-batch': (dir) =>
    writeFileSync(
      join(dir, 'content.js'),
      `(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const base = api.runtime.getURL('agent/');
  const send = (json) => api.runtime.sendMessage({ type: 'pv:batch', json }).catch(() => {});
  import(base + 'loader.js').then(({ load }) => load(base, send, () => true)).catch(() => {});
})();
`,
    ),
  // The agent imported at once, as it was until 2026-12-07, instead of after `load`.
  'agent-at-document-start': (dir) => {
    const source = readFileSync(join(ROOT, 'extension/content.js'), 'utf8');
    const later = '  setTimeout(startOnce, Math.max(0, AGENT_START_LATEST_MS - performance.now()));\n';
    if (!source.includes(later)) throw new Error('extension/content.js: no agent start found; update agent-floor.mjs');
    writeFileSync(join(dir, 'content.js'), source.replace(later, '  startOnce();\n'));
  },
  // The listener's arguments are still evaluated; it is never added.
  'no-web-request': (dir) =>
    patch(dir, 'background.js', /api\.webRequest\.onResponseStarted\.addListener\(/,
      '((...unused) => unused)(', 'webRequest listener'),
  // The agent imported once the page is idle after `load` (two frames, then an idle period).
  'agent-after-idle': (dir) => {
    const source = readFileSync(join(ROOT, 'extension/content.js'), 'utf8');
    const frame = '    requestAnimationFrame(() => setTimeout(startOnce, 0));\n';
    if (!source.includes(frame)) throw new Error('extension/content.js: no agent start found; update agent-floor.mjs');
    const idle = '    requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(startOnce, { timeout: 500 })));\n';
    const minified = execFileSync(join(ROOT, 'node_modules/.bin/esbuild'), ['--minify', '--log-level=warning'], {
      input: source.replace(frame, idle).replace('setTimeout(startOnce, AFTER_LOAD_FRAME_MS)', 'setTimeout(startOnce, 1000)'),
    });
    writeFileSync(join(dir, 'content.js'), minified);
  },
  // Neither agent nor listener: the extension's bare presence (its background, its manifest).
  'bare-extension': (dir) => {
    VARIANTS['empty-content-script'](dir);
    VARIANTS['no-web-request'](dir);
  },
  'web-vitals-content-script': (dir) => writeFileSync(join(dir, 'content.js'), `${webVitalsInitScript}\n`),
  'web-vitals-imported': (dir) => {
    cpSync(webVitalsModuleFile, join(dir, 'agent/web-vitals.js'));
    writeFileSync(join(dir, 'content.js'), webVitalsImportingContentScript('agent/web-vitals.js'));
  },
};

const chosen = values.only ? values.only.split(',') : Object.keys(VARIANTS);
for (const name of chosen) if (!(name in VARIANTS)) throw new Error(`--only: no variant ${name}`);
rmSync(OUT, { recursive: true, force: true });
for (const name of chosen) {
  const make = VARIANTS[name];
  const dir = join(OUT, name);
  cpSync(DIST, dir, { recursive: true });
  make(dir);
}
const injected = values.cpu ? [] : ['none', 'web-vitals', 'web-vitals-evaluated'];
const exts = [...injected, ...chosen.map((n) => join(OUT, n)), DIST];
execFileSync(
  process.execPath,
  [
    join(ROOT, 'scripts/lib/profile-agent.mjs'), values.cpu ? '--cpu' : '--quick', '--runs', values.runs, '--page', values.page,
    ...exts.flatMap((e) => ['--ext', e]),
  ],
  { stdio: 'inherit' },
);
