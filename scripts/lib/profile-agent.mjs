// Where the in-page agent's main-thread time goes: loads tests/sites/bench in headless Chromium
// with an unpacked extension (dist/chromium by default, or --ext DIR for a variant) exactly as
// the overhead benchmark's configuration B does, and for each load records a Chromium trace
// (devtools.timeline, v8 compile and wasm categories) and a V8 CPU profile sampled every
// 50 us. It prints, medians over the loads:
//   - ScriptDuration (CDP Performance.getMetrics), as the benchmark reads it;
//   - the main-thread trace events rooted in chrome-extension:// scripts, by event name
//     (module compile and evaluation, wasm compile, timers, observer callbacks, ...);
//   - the CPU profile's self time by extension file and function (the agent's wasm functions
//     show as wasm-function[N] unless a names section is kept).
// A diagnostic, not a benchmark: the benchmark (scripts/bench-overhead) is the source of truth
// for what the agent costs; this says where that cost is. docs/overhead.md has its findings.
//
// Usage: node scripts/lib/profile-agent.mjs [--ext DIR] [--page /index.html] [--runs N]
//        [--quick | --cpu] [--js-flags "V8 FLAGS"]
import { join, resolve } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

import { ROOT } from './browsers.mjs';
import { serve } from './server.mjs';
import { webVitalsIife, webVitalsInitScript } from './web-vitals-snippet.mjs';

const { values: args } = parseArgs({
  options: {
    // Several --ext (a directory, `none`, or `web-vitals`: no extension, the web-vitals
    // attribution snippet injected as the overhead benchmark's configuration C does, or
    // `web-vitals-evaluated`: the same library injected but no metric asked for) with
    // --quick: compared in interleaved loads.
    ext: { type: 'string', multiple: true, default: [join(ROOT, 'dist/chromium')] },
    page: { type: 'string', default: '/index.html' },
    runs: { type: 'string', default: '5' },
    settle: { type: 'string', default: '1000' },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    // Only the counters, no trace or profile (which inflate script time several-fold).
    quick: { type: 'boolean', default: false },
    // With several --ext: compare the thread time of extension-rooted trace events (a light
    // trace, no profile) instead of ScriptDuration; robust to a busy machine.
    cpu: { type: 'boolean', default: false },
    // V8 flags for every browser of the run (a diagnosis: what a V8 setting would change).
    'js-flags': { type: 'string' },
  },
});
const RUNS = Number(args.runs);
const SETTLE_MS = Number(args.settle);
/** The init scripts of the configurations that are not an extension. */
const INJECTED = { none: [], 'web-vitals': [webVitalsInitScript], 'web-vitals-evaluated': [webVitalsIife] };
const extDir = (ext) => (ext in INJECTED ? null : resolve(ext));

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'v8',
  'disabled-by-default-v8.compile',
  'disabled-by-default-v8.wasm.detailed',
  'v8.wasm',
  'blink',
  'loading',
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function launch(EXT, initScripts = []) {
  const { chromium } = await import('playwright-core');
  const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  const profile = mkdtempSync(join(tmpdir(), 'pv-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run',
      ...(EXT ? [`--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`] : []),
      ...(args['js-flags'] ? [`--js-flags=${args['js-flags']}`] : []),
    ],
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  });
  if (EXT) context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  for (const script of initScripts) await context.addInitScript(script);
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

const isExtension = (url) => typeof url === 'string' && url.startsWith('chrome-extension://');
const short = (url) => url.replace(/^chrome-extension:\/\/[a-z]+\//, '');

function eventUrl(e) {
  const d = e.args?.data ?? {};
  return d.url ?? d.scriptName ?? d.stackTrace?.[0]?.url ?? e.args?.fileName ?? e.args?.url ?? null;
}

/** Main-thread trace events rooted in extension scripts, summed by name (ms). */
function traceSummary(events, pageUrl) {
  const threads = new Map();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain') threads.set(`${e.pid}:${e.tid}`, []);
  }
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (threads.has(key) && e.ph === 'X') threads.get(key).push(e);
  }
  // The page's main thread: the one that parsed the page's HTML.
  let main = null;
  for (const [, list] of threads) {
    if (list.some((e) => e.name === 'ParseHTML' && (e.args?.beginData?.url ?? '').startsWith(pageUrl))) main = list;
  }
  if (!main) return null;
  main.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // Roots: outermost events that name an extension script; everything inside them is theirs.
  const roots = [];
  let end = -1;
  for (const e of main) {
    if (e.ts < end) continue;
    if (isExtension(eventUrl(e))) {
      roots.push(e);
      end = e.ts + e.dur;
    }
  }
  const byName = {};
  const add = (k, us) => (byName[k] = (byName[k] ?? 0) + us / 1000);
  for (const r of roots) {
    add(`root ${r.name} ${short(eventUrl(r))}`, r.dur);
    for (const e of main) {
      if (e !== r && e.ts >= r.ts && e.ts + e.dur <= r.ts + r.dur) add(`  in: ${e.name}`, e.dur);
    }
  }
  // Work the browser does for the extension outside script roots (module fetch and compile
  // are attributed by URL too).
  const list = roots.map((r) => {
    const inside = main.filter((e) => e !== r && e.ts >= r.ts && e.ts + e.dur <= r.ts + r.dur && e.dur >= 200);
    return `${((r.ts - main[0].ts) / 1000).toFixed(1).padStart(8)} ${(r.dur / 1000).toFixed(2).padStart(6)} ${r.name} ${short(eventUrl(r))}` +
      inside.map((e) => `\n${' '.repeat(20)}${(e.dur / 1000).toFixed(2).padStart(6)} ${e.name} ${e.args?.data?.functionName ?? ''}`).join('');
  });
  const total = roots.reduce((s, r) => s + r.dur, 0) / 1000;
  // Thread time (tdur): what the main thread spent running them, whatever else the machine did.
  const threadTime = roots.reduce((s, r) => s + (r.tdur ?? r.dur), 0) / 1000;
  const allTasks = main.filter((e) => e.name === 'RunTask').reduce((s, e) => s + e.dur, 0) / 1000;
  return { total, threadTime, roots: roots.length, byName, allTasks, list };
}

/** CPU profile self time (ms) by extension file and function; the rest by category. */
function profileSummary(profile) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  let extensionTotal = 0;
  for (const [id, us] of dt) {
    const n = byId.get(id);
    const { url, functionName } = n.callFrame;
    let key;
    if (isExtension(url) || url.startsWith('wasm://')) {
      key = `${isExtension(url) ? short(url) : 'wasm'} ${functionName || '(anonymous)'}`;
      extensionTotal += us;
    } else if (url) key = 'page and other scripts';
    else key = functionName; // (program), (garbage collector), (idle), (root)
    self.set(key, (self.get(key) ?? 0) + us / 1000);
  }
  return { extensionTotal: extensionTotal / 1000, self: Object.fromEntries(self) };
}

async function loadOnce(context, url) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Performance.enable');
  if (args.cpu) {
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'v8.execute', 'loading'] }, transferMode: 'ReportEvents' });
  } else if (!args.quick) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
    await cdp.send('Profiler.start');
  }
  await page.goto(url, { waitUntil: 'load' });
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map(({ name, value }) => [name, value]));
  // After the counters, so that this evaluation is not in them.
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  // The last LCP candidate so far, from the observer's buffer (LCP is not in the timeline).
  const lcp = await page.evaluate(
    () =>
      new Promise((resolve) => {
        new PerformanceObserver((list) => resolve(list.getEntries().at(-1)?.startTime ?? NaN)).observe({ type: 'largest-contentful-paint', buffered: true });
        setTimeout(() => resolve(NaN), 1000);
      }),
  );
  if (args.cpu) {
    await cdp.send('Tracing.end');
    await done;
    await page.close();
    return { scriptMs: traceSummary(events, url)?.threadTime ?? NaN, fcp, lcp, trace: null, cpu: null };
  }
  if (args.quick) {
    await page.close();
    return { scriptMs: m.ScriptDuration * 1000, taskMs: m.TaskDuration * 1000, fcp, lcp, trace: null, cpu: { extensionTotal: 0, self: {} } };
  }
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.send('Tracing.end');
  await done;
  await page.close();
  return { scriptMs: m.ScriptDuration * 1000, taskMs: m.TaskDuration * 1000, trace: traceSummary(events, url), cpu: profileSummary(profile) };
}

const server = await serve(join(ROOT, 'tests/sites/bench'));
if (args.ext.length > 1) {
  // Interleaved comparison of ScriptDuration: one browser per extension, one load of each per round.
  const browsers = [];
  try {
    for (const ext of args.ext) browsers.push(await launch(extDir(ext), INJECTED[ext] ?? []));
    const got = args.ext.map(() => []);
    const fcps = args.ext.map(() => []);
    const lcps = args.ext.map(() => []);
    for (const [i, b] of browsers.entries()) await loadOnce(b.context, `${server.url}${args.page}?warmup${i}`);
    for (let round = 0; round < RUNS; round++) {
      for (let k = 0; k < browsers.length; k++) {
        const i = (round + k) % browsers.length;
        const load = await loadOnce(browsers[i].context, `${server.url}${args.page}?cmp=${round}-${i}`);
        got[i].push(load.scriptMs);
        fcps[i].push(load.fcp);
        lcps[i].push(load.lcp);
      }
    }
    const span = (xs, d) => `${median(xs).toFixed(d).padStart(8)} (${Math.min(...xs).toFixed(d === 0 ? 0 : 1)}-${Math.max(...xs).toFixed(d === 0 ? 0 : 1)})`;
    console.log(`${args.page}, ${args.cpu ? 'thread time of extension-rooted trace events' : 'ScriptDuration'} ms, median (min-max) of ${RUNS} interleaved loads; the page's FCP and LCP ms`);
    for (const [i, ext] of args.ext.entries()) {
      console.log(`  ${ext.padEnd(40)}${span(got[i], 2)}   FCP ${span(fcps[i], 0)}   LCP ${span(lcps[i], 0)}`);
    }
  } finally {
    for (const b of browsers) await b.close();
    await server.close();
  }
  process.exit(0);
}
const EXT = extDir(args.ext[0]);
const browser = await launch(EXT);
try {
  const samples = [];
  await loadOnce(browser.context, `${server.url}${args.page}?warmup`);
  for (let i = 0; i < RUNS; i++) samples.push(await loadOnce(browser.context, `${server.url}${args.page}?profile=${i}`));
  const med = (get) => median(samples.map(get).filter((x) => x !== undefined));
  const keys = (get) => [...new Set(samples.flatMap((s) => Object.keys(get(s) ?? {})))];
  console.log(`${EXT ? short(EXT) : 'no extension'} ${args.page}, medians of ${RUNS} loads (ms)`);
  console.log(`  ScriptDuration ${med((s) => s.scriptMs).toFixed(2)}   TaskDuration ${med((s) => s.taskMs).toFixed(2)}`);
  console.log(`  trace: extension-rooted main-thread events ${med((s) => s.trace?.total ?? 0).toFixed(2)} in ${med((s) => s.trace?.roots ?? 0)} roots`);
  for (const k of keys((s) => s.trace?.byName).sort()) {
    const v = med((s) => s.trace?.byName[k] ?? 0);
    if (v >= 0.05) console.log(`    ${k.padEnd(70)}${v.toFixed(2).padStart(8)}`);
  }
  console.log(`  cpu profile: self time in extension scripts ${med((s) => s.cpu.extensionTotal).toFixed(2)}`);
  const rows = keys((s) => s.cpu.self).map((k) => [k, med((s) => s.cpu.self[k] ?? 0)]).sort((a, b) => b[1] - a[1]);
  for (const [k, v] of rows) if (v >= 0.05 && k !== '(idle)') console.log(`    ${k.padEnd(70)}${v.toFixed(2).padStart(8)}`);
  if (args.verbose) console.log(samples.at(-1).trace?.list.join('\n'));
  if (args.json) console.log(JSON.stringify(samples));
} finally {
  await browser.close();
  await server.close();
}
