// Calibrates the regression verdicts on real runs (scripts/bench-compare; results in
// docs/benchmarks.md). One A/B audit of the demo site collects a pool of cold runs of the page
// as it is (A) and of the same page whose document the server holds back 100 ms (B, `delay=100`),
// alternated in one browser. Then, resampling disjoint draws of the default number of runs a
// side from the pools:
//   - A/A: two draws from A compared: any `regressed` verdict (any metric) is a false alarm;
//   - A/B: a draw from A against one from B: TTFB, FCP and LCP must each be `regressed`;
//   - the smallest detectable change: a draw from A against another draw from A with a shift
//     added to one metric, the shift found by bisection at which 80 % of comparisons say
//     `regressed`, at 5, 10, 20 and 30 runs a side.
// Options: --runs N (a side; default the audit's for a comparison), --splits N, --detect
// 5,10,20,30 (run counts for the smallest detectable change; empty: skip), --reuse FILE (a
// pool an earlier run collected). Writes every figure to target/bench-compare.json.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { compareRuns } from '../../headless/index.mjs';
import { ROOT } from './browsers.mjs';
import { COMPARE_RUNS } from './audit.mjs';
import { serveTwoOrigins } from './server.mjs';

const { values } = parseArgs({
  options: {
    pool: { type: 'string', default: '60' },
    splits: { type: 'string', default: '400' },
    browser: { type: 'string', default: 'chromium' },
    reuse: { type: 'string' },
    runs: { type: 'string' },
    detect: { type: 'string', default: '5,10,20,30' },
  },
});
const POOL = Number(values.pool);
const SPLITS = Number(values.splits);

/** A seeded generator (mulberry32), so that the resampling is the same every time. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `k` distinct items of `pool`, and `k` more distinct from those (two disjoint draws). */
function draws(pool, k, random, count = 2) {
  const idx = [...pool.keys()];
  for (let i = idx.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return Array.from({ length: count }, (_, d) => idx.slice(d * k, (d + 1) * k).map((i) => pool[i]));
}

function shifted(report, metric, by) {
  const r = structuredClone(report);
  if (r.metrics[metric]) r.metrics[metric].value += by;
  return r;
}

const URL_LABEL = 'page';
const compare = (base, current) => compareRuns([{ url: URL_LABEL, base, current }]);

async function collect() {
  if (values.reuse) {
    const { results } = JSON.parse(readFileSync(values.reuse, 'utf8'));
    return { a: results[0].reports, b: results[1].reports };
  }
  const server = await serveTwoOrigins(join(ROOT, 'tests/sites/demo'));
  const out = join(ROOT, 'target/bench-compare-pool.json');
  const a = `${server.url}/index.html?pool`;
  const b = `${server.url}/index.html?pool&delay=100`;
  const started = Date.now();
  await new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(ROOT, 'scripts/lib/audit.mjs'), '--browser', values.browser, '--ab', '--runs', String(POOL), '--warn-only', '--json', out, a, b],
      { cwd: ROOT, maxBuffer: 256 << 20 },
      (error) => (error ? reject(error) : resolve()),
    );
    child.stderr.on('data', (d) => {
      if (/run \d+0\//.test(d)) process.stderr.write(d);
    });
  });
  await server.close();
  console.error(`pool: ${POOL} runs of each in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const { results } = JSON.parse(readFileSync(out, 'utf8'));
  return { a: results[0].reports, b: results[1].reports };
}

const { a: poolA, b: poolB } = await collect();
const random = rng(20261207);
const n = Number(values.runs ?? COMPARE_RUNS);

let falseAlarms = 0;
const falseByMetric = {};
for (let s = 0; s < SPLITS; s += 1) {
  const [x, y] = draws(poolA, n, random);
  const c = compare(x, y);
  const regressed = c.comparisons.filter((m) => m.verdict === 'regressed');
  if (regressed.length) falseAlarms += 1;
  for (const m of regressed) falseByMetric[m.metric] = (falseByMetric[m.metric] ?? 0) + 1;
}

const caught = { TTFB: 0, FCP: 0, LCP: 0, all: 0 };
for (let s = 0; s < SPLITS; s += 1) {
  const [x] = draws(poolA, n, random, 1);
  const [y] = draws(poolB, n, random, 1);
  const c = compare(x, y);
  const verdict = (metric) => c.comparisons.find((m) => m.metric === metric)?.verdict;
  let all = true;
  for (const metric of ['TTFB', 'FCP', 'LCP']) {
    if (verdict(metric) === 'regressed') caught[metric] += 1;
    else all = false;
  }
  if (all) caught.all += 1;
}

/** Share of `splits` comparisons of two draws of `k` from A, one shifted by `by`, called regressed. */
function power(metric, k, by, splits) {
  let hits = 0;
  for (let s = 0; s < splits; s += 1) {
    const [x, y] = draws(poolA, k, random);
    const c = compare(x, y.map((r) => shifted(r, metric, by)));
    if (c.comparisons.find((m) => m.metric === metric)?.verdict === 'regressed') hits += 1;
  }
  return hits / splits;
}

const detectable = {};
for (const metric of ['TTFB', 'FCP', 'LCP']) {
  detectable[metric] = {};
  for (const k of values.detect.split(',').filter(Boolean).map(Number).filter((k) => 2 * k <= poolA.length)) {
    let lo = 0;
    let hi = 400;
    for (let step = 0; step < 7; step += 1) {
      const mid = (lo + hi) / 2;
      if (power(metric, k, mid, 60) >= 0.8) hi = mid;
      else lo = mid;
    }
    detectable[metric][k] = Math.round(hi);
  }
}

const result = {
  at: new Date().toISOString(),
  pool: { a: poolA.length, b: poolB.length, browser: values.browser },
  runsPerSide: n,
  splits: SPLITS,
  aa: { falseAlarms, rate: falseAlarms / SPLITS, byMetric: falseByMetric },
  ab: { ...Object.fromEntries(Object.entries(caught).map(([k, v]) => [k, v / SPLITS])) },
  smallestDetectableMs: detectable,
};
writeFileSync(join(ROOT, 'target/bench-compare.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
