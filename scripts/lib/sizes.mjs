// Sizes of what PageVitals ships, raw and brotli. As a command (scripts/build runs it), prints
// every file of each unpacked extension given and the bytes the in-page agent ships into each
// page in each of its two forms. As a module, gives those same definitions to the benchmarks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

/** Brotli at quality 11, as a server would precompress static files. */
export const brotliSize = (buf) =>
  brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** The files the content script brings into every page, per form of the agent. */
const COMMON = ['content.js', 'agent/loader.js', 'agent/pagevitals_agent_bg.js'];
export const AGENT_FORMS = {
  wasm: [...COMMON, 'agent/pagevitals_agent_bg.wasm'],
  wasm2js: [...COMMON, 'agent/pagevitals_agent_bg.wasm.js'],
};

/** The files the popup loads when it opens (besides popup.html and compat.js). */
export const POPUP_FILES = ['popup.js', 'popup/bridge.js', 'popup/pagevitals_popup.js', 'popup/pagevitals_popup_bg.wasm'];

/** Total raw and brotli bytes of `paths`. */
export function sizeOf(paths) {
  return paths.reduce(
    (acc, path) => {
      const buf = readFileSync(path);
      return { raw: acc.raw + buf.length, brotli: acc.brotli + brotliSize(buf) };
    },
    { raw: 0, brotli: 0 },
  );
}

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB';

function report(dir) {
  console.log(`\n${dir}`);
  console.log(`  ${'file'.padEnd(38)}${'raw'.padStart(10)}${'brotli'.padStart(10)}`);
  for (const path of files(dir)) {
    const { raw, brotli } = sizeOf([path]);
    console.log(`  ${relative(dir, path).padEnd(38)}${kb(raw)}${kb(brotli)}`);
  }
  // Firefox's content script has the loader, the glue and the wasm bundled in
  // (scripts/lib/firefox-content.mjs); its wasm2js form still imports that from the extension.
  const bundled = basename(dir) === 'firefox';
  const forms = bundled
    ? { wasm: ['content.js'], wasm2js: ['content.js', 'agent/pagevitals_agent_bg.wasm.js'] }
    : AGENT_FORMS;
  for (const [form, list] of Object.entries(forms)) {
    const { raw, brotli } = sizeOf(list.map((f) => join(dir, f)));
    const label = `in-page agent, ${form} form:`;
    console.log(`  ${label}${kb(raw).padStart(48 - label.length)}${kb(brotli)}`);
  }
  const popup = [
    ['popup wasm:', ['popup/pagevitals_popup_bg.wasm']],
    ['popup, all it loads:', POPUP_FILES],
  ];
  for (const [label, list] of popup) {
    const { raw, brotli } = sizeOf(list.map((f) => join(dir, f)));
    console.log(`  ${label}${kb(raw).padStart(48 - label.length)}${kb(brotli)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const dir of process.argv.slice(2)) report(dir);
}
