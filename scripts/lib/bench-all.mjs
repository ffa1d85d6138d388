// See scripts/bench: reads what the three benchmarks wrote, prints one table of medians and
// ratios, writes target/bench/results.json and draws target/bench/results.svg (three panels,
// plain SVG, no plotting library).
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import { ROOT } from './browsers.mjs';

const read = (file) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
const overhead = read('target/bench-overhead.json');
const audit = read('target/bench-audit.json');
const native = read('target/bench-logs/native.json');
const wasm = read('target/bench-logs/wasm.json');

const pages = Object.entries(overhead.pages).map(([path, page]) => {
  const s = page.stats;
  const ms = (config) => s[config]?.scriptMs?.median ?? null;
  const added = (config) => (ms(config) === null ? null : ms(config) - ms('A'));
  return {
    path,
    label: page.label,
    agentForm: page.agentForm,
    nothingMs: ms('A'),
    pagevitalsMs: ms('B'),
    webVitalsMs: ms('C'),
    pagevitalsAddedMs: added('B'),
    webVitalsAddedMs: added('C'),
    ratio: added('B') / added('C'),
    // D: web-vitals delivered by an extension, like for like (absent in runs before it existed).
    webVitalsExtensionMs: ms('D'),
    webVitalsExtensionAddedMs: added('D'),
    ratioToExtension: added('D') === null ? null : added('B') / added('D'),
    longTasks: { pagevitals: s.B?.longTasks ?? null, webVitals: s.C?.longTasks ?? null },
    fcpMs: { nothing: s.A?.fcp?.median, pagevitals: s.B?.fcp?.median, webVitals: s.C?.fcp?.median },
  };
});
const engine = wasm.sizes.map((row) => ({
  entries: row.entries,
  nativeMs: row.nativeMs,
  wasmMs: row.wasmMs,
  nativeNsPerEntry: (row.nativeMs * 1e6) / row.entries,
  wasmNsPerEntry: (row.wasmMs * 1e6) / row.entries,
}));
const results = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  overhead: { runs: overhead.runs, bytes: overhead.bytes, pages },
  audit: {
    runs: audit.runs,
    lighthouseMedianMs: audit.lighthouseMedianMs,
    auditMedianMs: audit.auditMedianMs,
    ratio: audit.ratio,
    batchOf10PerPageMs: audit.batchOf10PerPageMs,
    batchRatio: audit.batchRatio,
  },
  engine: { sizes: engine, budget: native.budget },
};
writeFileSync(join(ROOT, 'target/bench/results.json'), JSON.stringify(results, null, 2) + '\n');

const f = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(d));
const out = [];
out.push(`\n(a) main-thread script time added to the page (median of ${overhead.runs} loads; CDP ScriptDuration minus the page alone)`);
out.push('| page | agent form | PageVitals | web-vitals attribution in the page | ratio | web-vitals via an extension | ratio | long tasks (PageVitals) |');
out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const p of pages) {
  out.push(
    `| ${p.label} | ${p.agentForm} | ${f(p.pagevitalsAddedMs)} ms | ${f(p.webVitalsAddedMs)} ms | ${f(p.ratio, 2)}x | ` +
      `${f(p.webVitalsExtensionAddedMs)} ms | ${f(p.ratioToExtension, 2)}x | ${p.longTasks.pagevitals} |`,
  );
}
const b = overhead.bytes;
out.push(`bytes into each page: agent wasm form ${b.agentWasm.raw} raw / ${b.agentWasm.brotli} brotli, wasm2js form ${b.agentWasm2js.raw} / ${b.agentWasm2js.brotli}; web-vitals attribution ${b.webVitalsAttribution.raw} / ${b.webVitalsAttribution.brotli}`);
out.push(`\n(b) wall time per page audit (median of ${audit.runs})`);
out.push('| Lighthouse 12 | PageVitals audit, one URL | ratio | PageVitals, per page in a batch of 10 | ratio |');
out.push('| ---: | ---: | ---: | ---: | ---: |');
out.push(`| ${f(audit.lighthouseMedianMs / 1000, 2)} s | ${f(audit.auditMedianMs / 1000, 2)} s | ${f(audit.ratio)}x | ${f(audit.batchOf10PerPageMs / 1000, 2)} s | ${f(audit.batchRatio)}x |`);
out.push('\n(c) engine: parse + analyze of an entry log (medians)');
out.push('| entries | native ms | ns/entry | wasm ms | ns/entry | wasm / native |');
out.push('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const e of engine) {
  out.push(`| ${e.entries} | ${f(e.nativeMs, 2)} | ${f(e.nativeNsPerEntry, 0)} | ${f(e.wasmMs, 2)} | ${f(e.wasmNsPerEntry, 0)} | ${f(e.wasmMs / e.nativeMs, 2)} |`);
}
out.push(`100k entries natively under ${native.budget.ms} ms: ${native.budget.pass ? 'yes' : 'NO'}`);
console.log(out.join('\n'));

// The plot: three panels of horizontal bars.
const W = 760;
const panelH = 170;
const esc = (t) => String(t).replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]);
function panel(y, title, rows, unit) {
  const max = Math.max(...rows.map((r) => r.value ?? 0), 1e-9);
  const barW = 420;
  const h = Math.min(22, (panelH - 40) / rows.length);
  let svg = `<text x="10" y="${y + 18}" font-size="14" font-weight="bold">${esc(title)}</text>`;
  rows.forEach((r, i) => {
    const yy = y + 30 + i * (h + 4);
    const w = Math.max(1, ((r.value ?? 0) / max) * barW);
    svg += `<text x="10" y="${yy + h * 0.75}" font-size="11">${esc(r.label)}</text>`;
    svg += `<rect x="230" y="${yy}" width="${w.toFixed(1)}" height="${h}" fill="${r.color}"/>`;
    svg += `<text x="${(236 + w).toFixed(1)}" y="${yy + h * 0.75}" font-size="11">${esc(f(r.value, unit === 's' ? 2 : 1))} ${unit}</text>`;
  });
  return svg;
}
const BLUE = '#1a73e8';
const GREY = '#9aa0a6';
const ORANGE = '#f29900';
const overheadRows = pages.flatMap((p) => [
  { label: `${p.label}: PageVitals (${p.agentForm})`, value: p.pagevitalsAddedMs, color: BLUE },
  { label: `${p.label}: web-vitals in the page`, value: p.webVitalsAddedMs, color: GREY },
  ...(p.webVitalsExtensionAddedMs === null ? [] : [{ label: `${p.label}: web-vitals via an extension`, value: p.webVitalsExtensionAddedMs, color: GREY }]),
]);
const auditRows = [
  { label: 'Lighthouse 12 (performance)', value: audit.lighthouseMedianMs / 1000, color: GREY },
  { label: 'PageVitals audit, one URL', value: audit.auditMedianMs / 1000, color: BLUE },
  { label: 'PageVitals, per page of 10', value: audit.batchOf10PerPageMs / 1000, color: BLUE },
];
const engineRows = engine.flatMap((e) => [
  { label: `${e.entries} entries, native`, value: e.nativeNsPerEntry / 1000, color: BLUE },
  { label: `${e.entries} entries, wasm`, value: e.wasmNsPerEntry / 1000, color: ORANGE },
]);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${3 * panelH + 40}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="20" font-size="12" fill="#5f6368">PageVitals benchmarks, ${esc(results.date.slice(0, 10))}, ${results.machine.cpus} cores (${esc(results.machine.cpu ?? '')}); medians</text>
${panel(30, '(a) script time added to the page, ms (less is better)', overheadRows, 'ms')}
${panel(30 + panelH, '(b) wall time per page audit, s (less is better)', auditRows, 's')}
${panel(30 + 2 * panelH, '(c) engine, µs per log entry (less is better)', engineRows, 'µs')}
</svg>
`;
writeFileSync(join(ROOT, 'target/bench/results.svg'), svg);
console.log('\nwritten: target/bench/results.json, target/bench/results.svg');
