// The wasm half of scripts/bench-engine: times the engine the extension ships
// (dist/chromium/engine, wasm-bindgen's web target) in Node on the logs that
// `pagevitals-bench --write DIR` generated, with the same warm-up and iteration counts, and
// prints one table of native and wasm medians side by side.
// Usage: node scripts/lib/bench-engine.mjs DIR [--engine ENGINE_DIR]
// analyze() here is what the background pays per report: copying the log text into wasm
// memory, parse_log, analyze, and serialising the report back to a JS string.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const USAGE = `usage: node scripts/lib/bench-engine.mjs DIR [--engine ENGINE_DIR]
DIR holds the logs and native.json written by \`pagevitals-bench --write DIR\`;
ENGINE_DIR defaults to dist/chromium/engine.`;

function fail(message) {
  console.error(`bench-engine: ${message}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { engine: { type: 'string' }, help: { type: 'boolean' } },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.positionals.length !== 1) fail(USAGE);
const dir = resolve(args.positionals[0]);
const engineDir = resolve(args.values.engine ?? join(ROOT, 'dist/chromium/engine'));

let native;
try {
  native = JSON.parse(readFileSync(join(dir, 'native.json'), 'utf8'));
} catch (error) {
  fail(`${error.message}: run pagevitals-bench --write ${args.positionals[0]} first`);
}

const { default: init, analyze } = await import(
  pathToFileURL(join(engineDir, 'pagevitals_engine.js')).href
);
await init({ module_or_path: readFileSync(join(engineDir, 'pagevitals_engine_bg.wasm')) });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// V8 runs wasm first as baseline (Liftoff) code and recompiles hot functions with TurboFan
// in the background (https://v8.dev/blog/wasm-dynamic-tiering): a second of work on the
// smallest log first, so that every size is timed in the steady state, as a long-lived
// background would run it.
const TIER_UP_MS = 1000;
const smallest = native.sizes[0];
if (!smallest?.file) fail('native.json names no log files: run pagevitals-bench --write DIR');
const warmText = readFileSync(join(dir, smallest.file), 'utf8');
for (const until = performance.now() + TIER_UP_MS; performance.now() < until; ) analyze(warmText);

const rows = [];
for (const size of native.sizes) {
  if (!size.file) fail(`native.json names no log file for ${size.entries} entries`);
  const text = readFileSync(join(dir, size.file), 'utf8');
  // Once untimed, to check that the wasm engine reads the log the native one read.
  const first = JSON.parse(analyze(text));
  if (!first.report) fail(`${size.file}: ${JSON.stringify(first.error)}`);
  const samples = [];
  for (let run = 0; run < size.warmup + size.iterations; run++) {
    const start = process.hrtime.bigint();
    const out = analyze(text);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (out.length === 0) fail('empty answer from analyze()');
    if (run >= size.warmup) samples.push(ms);
  }
  const wasm = { medianMs: median(samples), minMs: Math.min(...samples) };
  rows.push({ size, wasm });
}

const fmt = (v, digits = 1) => v.toFixed(digits);
const header = ['entries', 'log MB', 'runs', 'native ms', 'ns/entry', 'wasm ms', 'ns/entry', 'wasm/native'];
const widths = [8, 8, 5, 11, 9, 10, 9, 12];
const line = (cells) => cells.map((c, i) => String(c).padStart(widths[i])).join(' ');
console.log(`\nnative (pagevitals-bench, parse_log + analyze) vs wasm (${engineDir}, analyze() in Node ${process.version}); medians`);
console.log(line(header));
for (const { size, wasm } of rows) {
  const nativeMs = size.total.medianMs;
  console.log(line([
    size.entries,
    fmt(size.bytes / 1e6),
    size.iterations,
    fmt(nativeMs, 2),
    fmt((nativeMs * 1e6) / size.entries, 0),
    fmt(wasm.medianMs, 2),
    fmt((wasm.medianMs * 1e6) / size.entries, 0),
    fmt(wasm.medianMs / nativeMs, 2),
  ]));
}
const perEntry = (row) => row.wasm.medianMs / row.size.entries;
const [small, large] = [rows[0], rows.at(-1)];
console.log(
  `linearity: ns/entry at ${large.size.entries} / ${small.size.entries}: ` +
  `native ${fmt(native.linearity100kOver1k, 2)}, wasm ${fmt(perEntry(large) / perEntry(small), 2)} (1.00 is linear)`,
);
writeFileSync(
  join(dir, 'wasm.json'),
  JSON.stringify({ node: process.version, engine: engineDir, sizes: rows.map(({ size, wasm }) => ({ entries: size.entries, bytes: size.bytes, nativeMs: size.total.medianMs, wasmMs: wasm.medianMs, wasmMinMs: wasm.minMs })) }, null, 2) + '\n',
);
const budget = native.budget;
const budgeted = native.sizes.find((s) => s.entries === budget.entries);
console.log(
  `${budget.pass ? 'PASS' : 'FAIL'}: ${budget.entries} entries natively in ` +
  `${fmt(budgeted.total.medianMs)} ms (median), budget ${budget.ms} ms`,
);
