// Builds Firefox's content script: extension/content.js with the agent's loader, its glue and
// its wasm bundled in, so that starting the agent makes no request. Firefox keeps no page in its
// back/forward cache that is left while one of its requests is in flight, and a content
// script's `import()` or `fetch()` of an extension file is one: measured on 2026-12-07, a page
// left right after `load`, while the agent was being imported, was not cached in 2 of 3 visits,
// and with an import or a fetch alone in 5 of 6 (docs/metrics.md). Chromium imports the agent
// from the extension instead, where its modules get a code cache (docs/overhead.md).
//
//   node scripts/lib/firefox-content.mjs <bindgen agent dir> <out file>
//
// The wasm2js form is still imported from the extension if the wasm cannot be compiled.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');
const [agentDir, outfile] = process.argv.slice(2);
if (!agentDir || !outfile) throw new Error('usage: firefox-content.mjs <bindgen agent dir> <out file>');

/** `text` with `from` replaced by `to`, failing loudly when the source no longer has it once. */
function swap(file, text, from, to) {
  if (text.split(from).length !== 2) throw new Error(`${file}: expected one ${JSON.stringify(from)}; update firefox-content.mjs`);
  return text.replace(from, to);
}

const dir = mkdtempSync(join(tmpdir(), 'pagevitals-firefox-content-'));
try {
  const content = readFileSync(join(ROOT, 'extension/content.js'), 'utf8');
  writeFileSync(join(dir, 'content.js'), swap('extension/content.js', content, "import(base + 'loader.js')", "import('./loader.js')"));
  const loader = readFileSync(join(ROOT, 'extension/agent/loader.js'), 'utf8');
  writeFileSync(
    join(dir, 'loader.js'),
    swap(
      'extension/agent/loader.js',
      loader,
      "const wasmBytes = async (base) => (await fetch(base + 'pagevitals_agent_bg.wasm')).arrayBuffer();",
      "import bundledWasm from './pagevitals_agent_bg.wasm';\nconst wasmBytes = async () => bundledWasm;",
    ),
  );
  for (const file of ['pagevitals_agent_bg.js', 'pagevitals_agent_bg.wasm']) copyFileSync(join(agentDir, file), join(dir, file));
  await build({
    entryPoints: [join(dir, 'content.js')],
    bundle: true,
    format: 'iife',
    minify: true,
    loader: { '.wasm': 'binary' },
    outfile,
    logLevel: 'warning',
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
