// See scripts/bench-audit. Prints medians and the ratio, and writes every sample to
// target/bench-audit.json.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ROOT } from './browsers.mjs';
import { serve } from './server.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
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
const lighthouse = (url) =>
  timed(process.execPath, [
    LIGHTHOUSE, url, '--only-categories=performance', '--output=json', '--output-path=/dev/null', '--quiet',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
  ], { ...process.env, CHROME_PATH: CHROMIUM });

async function benchPage({ key, label, dir, batch }) {
  const server = await serve(join(ROOT, dir));
  const samples = { audit: [], lighthouse: [], batch: null };
  try {
    // Warm-up of each (disk caches), not counted.
    await audit([`${server.url}/index.html?warm`]);
    await lighthouse(`${server.url}/index.html?warm`);
    for (let i = 0; i < runs; i += 1) {
      // Alternate which goes first, so neither always runs on a machine the other just loaded.
      const order = i % 2 ? ['lighthouse', 'audit'] : ['audit', 'lighthouse'];
      for (const which of order) {
        const url = `${server.url}/index.html?${which}${i}`;
        const { ms } = which === 'audit' ? await audit([url]) : await lighthouse(url);
        samples[which].push(ms);
        console.error(`${key}: ${which} run ${i + 1}/${runs}: ${(ms / 1000).toFixed(2)} s`);
      }
    }
    if (batch) {
      const urls = Array.from({ length: 10 }, (_, i) => `${server.url}/index.html?batch${i}`);
      const { ms } = await audit(urls);
      samples.batch = { urls: urls.length, ms, perPage: ms / urls.length };
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
    ...(samples.batch && { batchOf10PerPageMs: samples.batch.perPage, batchRatio: l / samples.batch.perPage }),
    samples,
  };
}

const pages = [];
for (const page of PAGES) pages.push(await benchPage(page));
writeFileSync(join(ROOT, 'target/bench-audit.json'), JSON.stringify({ runs, pages }, null, 2) + '\n');
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`\n| measure (${runs} runs each) | median wall time | Lighthouse / this |`);
console.log('| --- | ---: | ---: |');
for (const p of pages) {
  console.log(`| ${p.label}: Lighthouse 12 (performance only) | ${s(p.lighthouseMedianMs)} | 1 |`);
  console.log(`| ${p.label}: PageVitals audit, one URL per invocation | ${s(p.auditMedianMs)} | ${p.ratio.toFixed(1)}x |`);
  if (p.batchRatio) console.log(`| ${p.label}: PageVitals audit, 10 URLs in one browser, per page | ${s(p.batchOf10PerPageMs)} | ${p.batchRatio.toFixed(1)}x |`);
}
console.log('\nGoal (the audit of a page takes at most a tenth of Lighthouse\'s time):');
for (const p of pages) {
  const verdict = (r) => (r >= 10 ? 'met' : 'NOT met');
  console.log(`  ${p.label}: ${verdict(p.ratio)} for one URL per invocation${p.batchRatio ? `; ${verdict(p.batchRatio)} per page in a batch of 10` : ''}`);
}
