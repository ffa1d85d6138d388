// See scripts/bench-audit. Prints medians and the ratio, and writes every sample to
// target/bench-audit.json.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ROOT } from './browsers.mjs';
import { serve } from './server.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, peer: { type: 'string' } } });
const runs = Number(values.runs);
/**
 * `--peer FILE`: another audit script (say an earlier commit's `scripts/lib/audit.mjs`, in a
 * git worktree whose `dist` and `node_modules` link to this one's), timed the same way and
 * interleaved with this one, so that a change is measured against what it replaced in one run.
 */
const PEER = values.peer;
const LIGHTHOUSE = join(ROOT, 'target/bench-tools/node_modules/.bin/lighthouse');
const CHROMIUM = '/usr/bin/chromium';

function timed(file, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    execFile(file, args, { cwd: ROOT, env, timeout: 300_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (error && error.code !== 1) reject(new Error(`${file} failed: ${stderr || error.message}`));
      else resolve({ ms, stdout });
    });
  });
}

/** Batches of 10 URLs timed per audit script, alternating. */
const BATCHES = 3;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * The pages, each served on its own: the demo site (its hero image arrives 350 ms late on
 * purpose, and the audit waits out its network quiet), and the overhead benchmark's page
 * (loaded in about 0.2 s), which shows what the audit costs around a page that loads fast.
 */
const PAGES = [
  { key: 'demo', label: 'demo site', dir: 'tests/sites/demo', batch: true },
  { key: 'fast', label: 'fast page (tests/sites/bench)', dir: 'tests/sites/bench', batch: false },
];

const audit = (urls) => timed(process.execPath, [join(ROOT, 'scripts/lib/audit.mjs'), ...urls]);
const peer = (urls) => timed(process.execPath, [PEER, ...urls]);
const MEASURES = { audit, ...(PEER && { peer }) };
const lighthouse = (url) =>
  timed(process.execPath, [
    LIGHTHOUSE, url, '--only-categories=performance', '--output=json', '--output-path=/dev/null', '--quiet',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
  ], { ...process.env, CHROME_PATH: CHROMIUM });

async function benchPage({ key, label, dir, batch }) {
  const server = await serve(join(ROOT, dir));
  const samples = { audit: [], lighthouse: [], ...(PEER && { peer: [], peerBatch: [] }), batch: [] };
  try {
    // Warm-up of each (disk caches), not counted.
    for (const measure of Object.values(MEASURES)) await measure([`${server.url}/index.html?warm`]);
    await lighthouse(`${server.url}/index.html?warm`);
    for (let i = 0; i < runs; i += 1) {
      // Alternate which goes first, so neither always runs on a machine the other just loaded.
      const tools = ['audit', ...(PEER ? ['peer'] : []), 'lighthouse'];
      const order = i % 2 ? tools.reverse() : tools;
      for (const which of order) {
        const url = `${server.url}/index.html?${which}${i}`;
        const { ms } = which === 'lighthouse' ? await lighthouse(url) : await MEASURES[which]([url]);
        samples[which].push(ms);
        console.error(`${key}: ${which} run ${i + 1}/${runs}: ${(ms / 1000).toFixed(2)} s`);
      }
    }
    // Batches of 10 URLs in one browser: three of each, alternating, for a median.
    for (let i = 0; batch && i < BATCHES; i += 1) {
      for (const which of i % 2 ? Object.keys(MEASURES).reverse() : Object.keys(MEASURES)) {
        const urls = Array.from({ length: 10 }, (_, j) => `${server.url}/index.html?${which}-batch${i}-${j}`);
        const { ms } = await MEASURES[which](urls);
        samples[which === 'audit' ? 'batch' : 'peerBatch'].push(ms / urls.length);
        console.error(`${key}: ${which} batch ${i + 1}/${BATCHES}: ${(ms / 10 / 1000).toFixed(2)} s per page`);
      }
    }
  } finally {
    await server.close();
  }
  const a = median(samples.audit);
  const l = median(samples.lighthouse);
  return {
    key,
    label,
    auditMedianMs: a,
    lighthouseMedianMs: l,
    ratio: l / a,
    ...(batch && { batchOf10PerPageMs: median(samples.batch), batchRatio: l / median(samples.batch) }),
    ...(PEER && { peerMedianMs: median(samples.peer), ...(batch && { peerBatchOf10PerPageMs: median(samples.peerBatch) }) }),
    samples,
  };
}

const pages = [];
for (const page of PAGES) pages.push(await benchPage(page));
writeFileSync(join(ROOT, 'target/bench-audit.json'), JSON.stringify({ runs, peer: PEER ?? null, pages }, null, 2) + '\n');
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`\n| measure (${runs} runs each) | median wall time | Lighthouse / this |`);
console.log('| --- | ---: | ---: |');
for (const p of pages) {
  console.log(`| ${p.label}: Lighthouse 12 (performance only) | ${s(p.lighthouseMedianMs)} | 1 |`);
  console.log(`| ${p.label}: PageVitals audit, one URL per invocation | ${s(p.auditMedianMs)} | ${p.ratio.toFixed(1)}x |`);
  if (p.batchRatio) console.log(`| ${p.label}: PageVitals audit, 10 URLs in one browser, per page (median of ${BATCHES}) | ${s(p.batchOf10PerPageMs)} | ${p.batchRatio.toFixed(1)}x |`);
  if (PEER) {
    console.log(`| ${p.label}: peer audit, one URL per invocation | ${s(p.peerMedianMs)} | ${(p.lighthouseMedianMs / p.peerMedianMs).toFixed(1)}x |`);
    if (p.batchRatio) console.log(`| ${p.label}: peer audit, 10 URLs in one browser, per page (median of ${BATCHES}) | ${s(p.peerBatchOf10PerPageMs)} | ${(p.lighthouseMedianMs / p.peerBatchOf10PerPageMs).toFixed(1)}x |`);
  }
}
console.log('\nGoal (the audit of a page takes at most a tenth of Lighthouse\'s time):');
for (const p of pages) {
  const verdict = (r) => (r >= 10 ? 'met' : 'NOT met');
  console.log(`  ${p.label}: ${verdict(p.ratio)} for one URL per invocation${p.batchRatio ? `; ${verdict(p.batchRatio)} per page in a batch of 10` : ''}`);
}
