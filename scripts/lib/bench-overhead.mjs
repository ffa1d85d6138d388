// The overhead benchmark: what the in-page agent costs the page it measures, against the same
// page with nothing injected and with the web-vitals attribution build injected. Run by
// scripts/bench-overhead; method and results in docs/overhead.md.
//
// Four configurations, each its own headless Chromium (the Debian one, launchChromium):
//   A  no extension, nothing injected
//   B  the PageVitals extension (dist/chromium)
//   C  no extension, web-vitals' attribution IIFE injected as an init script with all five on*
//      (in the page's own world, as a site's analytics snippet runs)
//   D  web-vitals delivered as an extension must deliver it: a minimal extension whose content
//      script imports the attribution build's ES module and asks for all five, in the
//      extension's isolated world (the agent's own delivery, for a like-for-like peer)
// on two pages of tests/sites/bench (index.html runs the agent's wasm form; strict-csp.html,
// served with `script-src 'self'`, its wasm2js form). Loads are interleaved round-robin,
// rotating the order each round, so machine noise falls on every configuration alike. Each
// load is a fresh page (closed after), with CDP's Performance domain enabled before navigation;
// the browser and its profile stay for the whole run (see docs/overhead.md for why).
//
// Usage: node scripts/lib/bench-overhead.mjs [--runs N] [--out FILE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

import { launchChromium, ROOT, waitForReport } from './browsers.mjs';
import { serve } from './server.mjs';
import { AGENT_FORMS, sizeOf } from './sizes.mjs';
import {
  webVitalsFile, webVitalsInitScript, webVitalsVersion, writeWebVitalsExtension,
} from './web-vitals-snippet.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    out: { type: 'string', default: 'target/bench-overhead.json' },
  },
});
const RUNS = Number(args.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer, not ${args.runs}`);

/**
 * How long after `load` every load is measured. The agent sends its first batch 250 ms after
 * its first entry (FLUSH_DELAY_MS in crates/pagevitals-agent/src/lib.rs), and web-vitals does
 * its own post-load work (onTTFB after load) within a few ms; one second covers both with room.
 * In B the window also lasts until the background has stored a report with FCP for this load,
 * whichever is later; the settle time of every load is kept in the JSON.
 */
const SETTLE_AFTER_LOAD_MS = 1000;
/** A long task, by definition (Long Tasks API: https://w3c.github.io/longtasks/#long-task). */
const LONG_TASK_MS = 50;
/** Bootstrap resamples for the confidence intervals; seeded, so a run's JSON is reproducible. */
const BOOTSTRAP = 2000;

const PAGES = [
  { path: '/index.html', label: 'ordinary page', expectForm: 'wasm' },
  { path: '/strict-csp.html', label: "CSP script-src 'self'", expectForm: 'js' },
];

// --- What each configuration injects -------------------------------------------------------

// Recorded in every configuration alike, from an init script (main world, before the page's
// own scripts): long tasks, long animation frames with their scripts, and LCP candidates,
// all buffered. FCP is read from the paint timeline at the end.
const probeInitScript = `(() => {
  const got = (window.__pvBench = { longTasks: [], loafs: [], lcp: null });
  const observe = (type, each) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(each)).observe({ type, buffered: true });
    } catch {}
  };
  observe('longtask', (e) => got.longTasks.push({ startTime: e.startTime, duration: e.duration }));
  observe('long-animation-frame', (e) => got.loafs.push({
    startTime: e.startTime, duration: e.duration, blockingDuration: e.blockingDuration,
    scripts: e.scripts.map((s) => ({ sourceURL: s.sourceURL, invoker: s.invoker, duration: s.duration })),
  }));
  observe('largest-contentful-paint', (e) => { got.lcp = e.startTime; });
})();`;

const CONFIGS = [
  { key: 'A', label: 'nothing injected', extension: false, initScripts: [probeInitScript] },
  { key: 'B', label: 'PageVitals extension', extension: true, initScripts: [probeInitScript] },
  { key: 'C', label: `web-vitals ${webVitalsVersion} attribution`, extension: false, initScripts: [probeInitScript, webVitalsInitScript] },
  {
    key: 'D',
    label: 'web-vitals via an extension',
    extension: false,
    peerExtension: join(ROOT, 'target/bench-overhead/web-vitals-extension'),
    initScripts: [probeInitScript],
  },
];
/** The peers the agent is compared with: C as the issue's benchmark defines it, D like for like. */
const PEERS = ['C', 'D'];

/**
 * The keys of web-vitals' results in the isolated world of D's extension (null where it has
 * none), read over CDP after the counters (Runtime.enable reports the page's existing worlds).
 */
async function peerExtensionResults(cdp) {
  const worlds = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => worlds.push(context));
  await cdp.send('Runtime.enable');
  const world = worlds.find((c) => c.auxData?.type === 'isolated' && c.origin?.startsWith('chrome-extension://'));
  if (!world) return null;
  const { result } = await cdp.send('Runtime.evaluate', {
    expression: 'window.__webVitals ? Object.keys(window.__webVitals) : null',
    contextId: world.id,
    returnByValue: true,
  });
  return result.value;
}

// --- Bytes shipped into each page ----------------------------------------------------------

function shippedBytes() {
  const dist = join(ROOT, 'dist/chromium');
  const inDist = (list) => list.map((f) => join(dist, f));
  return {
    agentWasm: sizeOf(inDist(AGENT_FORMS.wasm)),
    agentWasm2js: sizeOf(inDist(AGENT_FORMS.wasm2js)),
    webVitalsAttribution: sizeOf([webVitalsFile]),
  };
}

// --- Statistics ------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });

/** mulberry32: a small seeded generator, so the intervals are the same for the same samples. */
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 95 % percentile-bootstrap interval of median(xs) - median(ys), the samples independent. */
function diffInterval(xs, ys) {
  const rand = rng(0x5eed);
  const pick = (s) => Array.from(s, () => s[Math.floor(rand() * s.length)]);
  const diffs = Array.from({ length: BOOTSTRAP }, () => median(pick(xs)) - median(pick(ys))).sort((a, b) => a - b);
  return [diffs[Math.floor(0.025 * BOOTSTRAP)], diffs[Math.ceil(0.975 * BOOTSTRAP) - 1]];
}

// --- One load --------------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function measure(config, session, url) {
  const { context } = session;
  const page = await context.newPage();
  try {
    for (const script of config.initScripts) await page.addInitScript(script);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const started = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    const loaded = Date.now();
    let report = null;
    if (config.extension) {
      report = await waitForReport(session, url, (r) => r.metrics.FCP);
    }
    const settleUntil = loaded + SETTLE_AFTER_LOAD_MS;
    if (Date.now() < settleUntil) await sleep(settleUntil - Date.now());
    const settledMs = Date.now() - loaded;
    // Read the counters before anything is evaluated in the page, so the reading is not in them.
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map(({ name, value }) => [name, value]));
    const probe = await page.evaluate(() => ({
      ...window.__pvBench,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      webVitals: window.__webVitals ? Object.keys(window.__webVitals) : null,
    }));
    if (config.peerExtension) probe.webVitals = await peerExtensionResults(cdp);
    if (!probe.longTasks) throw new Error(`the probe init script did not run on ${url}`);
    await cdp.detach();
    const longTasks = probe.longTasks.filter((t) => t.duration >= LONG_TASK_MS);
    const extensionScripts = probe.loafs.flatMap((f) => f.scripts).filter((s) => s.sourceURL.startsWith('chrome-extension://'));
    return {
      scriptMs: m.ScriptDuration * 1000,
      taskMs: m.TaskDuration * 1000,
      layoutMs: m.LayoutDuration * 1000,
      recalcStyleMs: m.RecalcStyleDuration * 1000,
      heapUsedKB: m.JSHeapUsedSize / 1024,
      fcp: probe.fcp,
      lcp: probe.lcp,
      longTasks: longTasks.map((t) => t.duration),
      longAnimationFrames: probe.loafs.length,
      extensionLoafScripts: extensionScripts,
      agentForm: report?.log?.page?.agentForm ?? null,
      webVitalsReported: probe.webVitals,
      loadMs: loaded - started,
      settledMs,
    };
  } finally {
    await page.close();
  }
}

// --- The run ---------------------------------------------------------------------------------

const server = await serve(join(ROOT, 'tests/sites/bench'));
const sessions = {};
try {
  for (const config of CONFIGS) {
    const peer = config.peerExtension && writeWebVitalsExtension(config.peerExtension);
    const args = peer ? [`--disable-extensions-except=${peer}`, `--load-extension=${peer}`] : [];
    sessions[config.key] = await launchChromium({ extension: config.extension, args });
  }
  const browserVersion = sessions.A.version;
  const samples = {};
  for (const page of PAGES) {
    samples[page.path] = Object.fromEntries(CONFIGS.map((c) => [c.key, []]));
  }
  let serial = 0;
  const load = async (page, config, keep) => {
    // A URL of its own per load, so B's report is this load's and nothing can be cached.
    const url = `${server.url}${page.path}?load=${config.key}${serial++}`;
    const sample = await measure(config, sessions[config.key], url);
    if (config.key === 'B' && sample.agentForm !== page.expectForm) {
      throw new Error(`${page.path}: the agent ran its ${sample.agentForm} form, expected ${page.expectForm}`);
    }
    // web-vitals reports FCP and TTFB by `load` + 1 s on this page; fewer means it did not run.
    if (PEERS.includes(config.key) && !(sample.webVitalsReported?.length >= 2)) {
      throw new Error(`${page.path}: web-vitals did not run in configuration ${config.key}`);
    }
    if (keep) samples[page.path][config.key].push(sample);
  };
  console.log(`Chromium ${browserVersion}; ${RUNS} loads per configuration and page after one warm-up each`);
  for (const page of PAGES) for (const config of CONFIGS) await load(page, config, false);
  for (let round = 0; round < RUNS; round++) {
    for (const page of PAGES) {
      for (let i = 0; i < CONFIGS.length; i++) await load(page, CONFIGS[(round + i) % CONFIGS.length], true);
    }
    process.stdout.write(`  round ${round + 1}/${RUNS}\r`);
  }
  process.stdout.write('\n');

  const results = { pages: {} };
  for (const page of PAGES) {
    const byConfig = samples[page.path];
    const col = (key, field) => byConfig[key].map((s) => s[field]);
    const stats = {};
    for (const c of CONFIGS) {
      stats[c.key] = {
        label: c.label,
        scriptMs: summary(col(c.key, 'scriptMs')),
        taskMs: summary(col(c.key, 'taskMs')),
        fcp: summary(col(c.key, 'fcp')),
        lcp: summary(col(c.key, 'lcp')),
        heapUsedKB: summary(col(c.key, 'heapUsedKB')),
        longTasks: col(c.key, 'longTasks').flat().length,
        loadsWithLongTasks: col(c.key, 'longTasks').filter((t) => t.length).length,
        extensionLoafScripts: col(c.key, 'extensionLoafScripts').flat().length,
        settledMs: summary(col(c.key, 'settledMs')),
      };
    }
    const overhead = {};
    for (const field of ['scriptMs', 'taskMs']) {
      const a = col('A', field), b = col('B', field);
      const ba = median(b) - median(a);
      overhead[field] = { BminusA: ba, BminusA95: diffInterval(b, a) };
      for (const key of PEERS) {
        const peer = col(key, field);
        const pa = median(peer) - median(a);
        Object.assign(overhead[field], {
          [`${key}minusA`]: pa, [`${key}minusA95`]: diffInterval(peer, a),
          [`Bminus${key}95`]: diffInterval(b, peer),
          [`ratioTo${key}`]: pa > 0 ? ba / pa : null,
        });
      }
    }
    const paintShift = {};
    for (const field of ['fcp', 'lcp']) {
      paintShift[field] = {};
      for (const key of ['B', ...PEERS]) {
        paintShift[field][`${key}minusA`] = median(col(key, field)) - median(col('A', field));
        paintShift[field][`${key}minusA95`] = diffInterval(col(key, field), col('A', field));
      }
    }
    const forms = [...new Set(col('B', 'agentForm'))];
    results.pages[page.path] = { label: page.label, agentForm: forms.join(','), stats, overhead, paintShift, samples: byConfig };
  }
  const bytes = shippedBytes();
  const out = {
    command: `scripts/bench-overhead${RUNS === 10 ? '' : ` --runs ${RUNS}`}`,
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    browser: `Chromium ${browserVersion}`,
    webVitals: webVitalsVersion,
    runs: RUNS,
    settleAfterLoadMs: SETTLE_AFTER_LOAD_MS,
    bytes,
    ...results,
  };
  mkdirSync(dirname(join(ROOT, args.out)), { recursive: true });
  writeFileSync(join(ROOT, args.out), JSON.stringify(out, null, 2) + '\n');
  print(out);
  console.log(`\nwritten to ${args.out}`);
} finally {
  for (const s of Object.values(sessions)) await s.close().catch(() => {});
  await server.close();
}

// --- Printing --------------------------------------------------------------------------------

function print(out) {
  const f = (x, d = 1) => (x === null || x === undefined ? '-' : x.toFixed(d));
  const span = (s, d = 1) => `${f(s.median, d)} (${f(s.min, d)}-${f(s.max, d)})`;
  const ci = ([lo, hi]) => `[${f(lo)}, ${f(hi)}]`;
  for (const [path, r] of Object.entries(out.pages)) {
    console.log(`\n${path} (${r.label}; agent form: ${r.agentForm}), ms, median (min-max) of ${out.runs}`);
    console.log(`  ${'config'.padEnd(34)}${'script'.padStart(20)}${'task'.padStart(22)}${'FCP'.padStart(20)}${'LCP'.padStart(20)}  long tasks`);
    for (const [key, s] of Object.entries(r.stats)) {
      console.log(`  ${`${key} ${s.label}`.padEnd(34)}${span(s.scriptMs).padStart(20)}${span(s.taskMs).padStart(22)}${span(s.fcp).padStart(20)}${span(s.lcp).padStart(20)}  ${s.longTasks}`);
    }
    for (const field of ['scriptMs', 'taskMs']) {
      const o = r.overhead[field];
      const peers = PEERS.map((k) => `${k}-A ${f(o[`${k}minusA`])} ${ci(o[`${k}minusA95`])}, (B-A)/(${k}-A) ${f(o[`ratioTo${k}`], 2)}, B-${k} 95% ${ci(o[`Bminus${k}95`])}`);
      console.log(`  ${field}: B-A ${f(o.BminusA)} ${ci(o.BminusA95)}; ${peers.join('; ')}`);
    }
    for (const field of ['fcp', 'lcp']) {
      const p = r.paintShift[field];
      console.log(`  ${field}: ${['B', ...PEERS].map((k) => `${k}-A ${f(p[`${k}minusA`])} ${ci(p[`${k}minusA95`])}`).join(', ')}`);
    }
    console.log(`  B: long-animation-frame scripts from chrome-extension://: ${r.stats.B.extensionLoafScripts}`);
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log('\nbytes shipped into each page          raw     brotli');
  const rows = [['PageVitals agent, wasm form', out.bytes.agentWasm], ['PageVitals agent, wasm2js form', out.bytes.agentWasm2js], [`web-vitals ${out.webVitals} attribution IIFE`, out.bytes.webVitalsAttribution]];
  for (const [name, b] of rows) console.log(`  ${name.padEnd(34)}${kb(b.raw).padStart(9)}${kb(b.brotli).padStart(10)}`);
}
