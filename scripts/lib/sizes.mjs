// Prints every file of each unpacked extension with its raw and brotli size, and the bytes the
// in-page agent ships into each page in each of its two forms.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

const brotli = (buf) =>
  brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB';
for (const dir of process.argv.slice(2)) {
  console.log(`\n${dir}`);
  console.log(`  ${'file'.padEnd(38)}${'raw'.padStart(10)}${'brotli'.padStart(10)}`);
  const sizes = new Map();
  for (const path of files(dir)) {
    const buf = readFileSync(path);
    const row = { raw: buf.length, br: brotli(buf) };
    sizes.set(relative(dir, path), row);
    console.log(`  ${relative(dir, path).padEnd(38)}${kb(row.raw)}${kb(row.br)}`);
  }
  const sum = (names) => names.reduce((acc, n) => ({ raw: acc.raw + (sizes.get(n)?.raw ?? 0), br: acc.br + (sizes.get(n)?.br ?? 0) }), { raw: 0, br: 0 });
  const common = ['content.js', 'compat.js', 'agent/loader.js', 'agent/pagevitals_agent_bg.js'];
  const wasm = sum([...common, 'agent/pagevitals_agent_bg.wasm']);
  const js = sum([...common, 'agent/pagevitals_agent_bg.wasm.js']);
  console.log(`  in-page agent, wasm form:${kb(wasm.raw).padStart(23)}${kb(wasm.br)}`);
  console.log(`  in-page agent, wasm2js form:${kb(js.raw).padStart(20)}${kb(js.br)}`);
}
