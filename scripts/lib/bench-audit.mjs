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

const server = await serve(join(ROOT, 'tests/sites/demo'));
const samples = { audit: [], lighthouse: [], batch: null };
try {
  const audit = (urls) => timed(process.execPath, [join(ROOT, 'scripts/lib/audit.mjs'), ...urls]);
  const lighthouse = (url) =>
    timed(process.execPath, [
      LIGHTHOUSE, url, '--only-categories=performance', '--output=json', '--output-path=/dev/null', '--quiet',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
    ], { ...process.env, CHROME_PATH: CHROMIUM });
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
      console.error(`${which} run ${i + 1}/${runs}: ${(ms / 1000).toFixed(2)} s`);
    }
  }
  const urls = Array.from({ length: 10 }, (_, i) => `${server.url}/index.html?batch${i}`);
  const { ms: batchMs } = await audit(urls);
  samples.batch = { urls: urls.length, ms: batchMs, perPage: batchMs / urls.length };
} finally {
  await server.close();
}

const a = median(samples.audit);
const l = median(samples.lighthouse);
const result = {
  runs,
  auditMedianMs: a,
  lighthouseMedianMs: l,
  ratio: l / a,
  batchOf10PerPageMs: samples.batch.perPage,
  batchRatio: l / samples.batch.perPage,
  samples,
};
writeFileSync(join(ROOT, 'target/bench-audit.json'), JSON.stringify(result, null, 2) + '\n');
console.log(`\n| measure (demo site, ${runs} runs each) | median wall time |`);
console.log('| --- | ---: |');
console.log(`| Lighthouse 12 (performance only) | ${(l / 1000).toFixed(2)} s |`);
console.log(`| PageVitals audit, one URL | ${(a / 1000).toFixed(2)} s (Lighthouse / audit = ${(l / a).toFixed(1)}x) |`);
console.log(`| PageVitals audit, 10 URLs in one browser, per page | ${(samples.batch.perPage / 1000).toFixed(2)} s (${(l / samples.batch.perPage).toFixed(1)}x) |`);
const goal = l / a >= 10;
console.log(`\nGoal (audit of a page at most a tenth of Lighthouse's time): ${goal ? 'met' : 'NOT met'} for one URL; ${l / samples.batch.perPage >= 10 ? 'met' : 'NOT met'} per page in a batch.`);
