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
// and compares them, in interleaved loads of the overhead benchmark's page (`--page
// /strict-csp.html` for the wasm2js form), with no extension,
// web-vitals injected, and the whole agent (dist/chromium), by ScriptDuration
// (scripts/lib/profile-agent.mjs --quick). A diagnostic run by hand, not part of the tests.
//
// Usage: node scripts/lib/agent-floor.mjs [--runs N] [--page PATH]   (default 21, /index.html)
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ROOT } from './browsers.mjs';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '21' }, page: { type: 'string', default: '/index.html' } },
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
  'agent-not-started': (dir) => {
    const file = join(dir, 'agent/loader.js');
    const loader = readFileSync(file, 'utf8');
    // The minified loader ends its load() with `<glue>.start(<send>,<form>)}`.
    const started = /(\w+)\.start\((\w+),(\w+)\)\}/;
    if (!started.test(loader)) throw new Error(`${file}: no start() call found; update agent-floor.mjs`);
    writeFileSync(file, loader.replace(started, 'void $2}'));
  },
  'without-compile-hint': (dir) => {
    for (const module of ['agent/loader.js', 'agent/pagevitals_agent_bg.js', 'agent/pagevitals_agent_bg.wasm.js']) {
      const file = join(dir, module);
      const text = readFileSync(file, 'utf8');
      if (!text.startsWith(COMPILE_HINT)) throw new Error(`${file} does not start with the compile hint`);
      writeFileSync(file, text.slice(COMPILE_HINT.length).trimStart());
    }
  },
};

rmSync(OUT, { recursive: true, force: true });
for (const [name, make] of Object.entries(VARIANTS)) {
  const dir = join(OUT, name);
  cpSync(DIST, dir, { recursive: true });
  make(dir);
}
const exts = ['none', 'web-vitals', ...Object.keys(VARIANTS).map((n) => join(OUT, n)), DIST];
execFileSync(
  process.execPath,
  [
    join(ROOT, 'scripts/lib/profile-agent.mjs'), '--quick', '--runs', values.runs, '--page', values.page,
    ...exts.flatMap((e) => ['--ext', e]),
  ],
  { stdio: 'inherit' },
);
