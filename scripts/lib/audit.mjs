// The audit: serve the demo site (or take a URL), open it in a real browser with the
// extension loaded, wait for the extension's report, and print it: the metrics, the
// summaries, then the top recommendations.
// Exit status: 0 measured, 2 bad input or a browser/navigation error.
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { launchers, ROOT, waitForReport } from './browsers.mjs';
import { serveTwoOrigins } from './server.mjs';

const USAGE = `usage: scripts/audit [--browser chromium|firefox] [URL]
With no URL, serves and audits the bundled demo site (tests/sites/demo).`;

function fail(message) {
  console.error(`audit: ${message}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { browser: { type: 'string', default: 'chromium' }, help: { type: 'boolean' } },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const browserName = args.values.browser;
if (!launchers[browserName]) fail(`unknown browser '${browserName}'\n${USAGE}`);
if (args.positionals.length > 1) fail(`one URL at a time for now\n${USAGE}`);

const ms = (v) => `${Math.round(v)} ms`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const DESCRIBE = {
  TTFB: (a) =>
    `waiting ${ms(a.waitingDuration)}, cache ${ms(a.cacheDuration)}, DNS ${ms(a.dnsDuration)}, ` +
    `connection ${ms(a.connectionDuration)}, request ${ms(a.requestDuration)}`,
  FCP: (a) => `first byte at ${ms(a.timeToFirstByte)}, then ${ms(a.firstByteToFCP)} to paint (${a.loadState})`,
  LCP: (a) =>
    `${a.target ?? 'unknown element'}: TTFB ${ms(a.timeToFirstByte)} + load delay ${ms(a.resourceLoadDelay)} ` +
    `+ load ${ms(a.resourceLoadDuration)} + render delay ${ms(a.elementRenderDelay)}`,
  CLS: (a) =>
    a.largestShiftTarget !== undefined
      ? `largest shift ${a.largestShiftValue.toFixed(3)} at ${ms(a.largestShiftTime)} by ${a.largestShiftTarget || 'a non-element node'}`
      : 'no shifts',
  INP: (a) =>
    `${a.interactionType} on ${a.interactionTarget ?? 'unknown'}: input delay ${ms(a.inputDelay)}, ` +
    `processing ${ms(a.processingDuration)}, presentation ${ms(a.presentationDelay)}`,
};
const CLS_VALUE = (v) => v.toFixed(3);

async function main() {
  let server = null;
  let url = args.positionals[0];
  if (url) {
    try {
      const parsed = new URL(url);
      if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error('not http(s)');
    } catch {
      fail(`not an http(s) URL: ${url}`);
    }
  } else {
    // Two loopback origins: the demo's reviews widget comes from the second (a third party).
    server = await serveTwoOrigins(join(ROOT, 'tests/sites/demo'));
    url = `${server.url}/index.html`;
  }
  const session = await launchers[browserName]().catch((e) => fail(`cannot start ${browserName}: ${e.message}`));
  try {
    console.error(`Auditing ${url} in ${session.name} ${session.version} with the PageVitals extension...`);
    const page = await session.open(url).catch((e) => fail(`cannot load ${url}: ${e.message}`));
    await waitForReport(session, url, (r) => r.metrics.FCP && r.metrics.TTFB);
    // Let the page settle (late images, late shifts), then leave it: hiding the page makes
    // LCP, CLS and INP final, as they are when a user leaves.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 2000)));
    await page.goto('about:blank');
    const { report } = await waitForReport(session, url, (r) => r.metrics.LCP || r.unsupportedEntryTypes.includes('largest-contentful-paint'));
    await page.close();
    print(report);
  } finally {
    await session.close();
    await server?.close();
  }
}

function print(report) {
  console.log(`\nPageVitals report for ${report.page.url}`);
  console.log(`navigation: ${report.page.navigationType}; ${report.page.userAgent.match(/(Chrome|Firefox)\/[\d.]+/)?.[0] ?? ''}\n`);
  console.log(`${'metric'.padEnd(7)}${'value'.padStart(9)}  ${'rating'.padEnd(19)}breakdown`);
  for (const name of ['LCP', 'INP', 'CLS', 'FCP', 'TTFB']) {
    const metric = report.metrics[name];
    if (!metric) {
      const why = name === 'INP' ? 'no interaction on this page view' : name === 'CLS' && report.unsupportedEntryTypes.includes('layout-shift') ? 'unsupported in this browser' : 'not measured';
      console.log(`${name.padEnd(7)}${'-'.padStart(9)}  ${''.padEnd(19)}${why}`);
      continue;
    }
    const value = name === 'CLS' ? CLS_VALUE(metric.value) : ms(metric.value);
    console.log(`${name.padEnd(7)}${value.padStart(9)}  ${metric.rating.padEnd(19)}${DESCRIBE[name](metric.attribution)}`);
  }
  const v = report.verdict;
  if (v) console.log(`\nverdict: ${v.rating} (worst Core Web Vital: ${v.metric}, of ${v.measured.join(', ')})`);
  const lt = report.longTasks;
  if (lt) {
    const tbt = lt.totalBlockingTime === undefined ? 'no TBT without FCP' : `total blocking time ${ms(lt.totalBlockingTime)}`;
    console.log(`long tasks: ${lt.count} (${ms(lt.totalDuration)}), ${tbt}`);
  }
  const worst = report.longAnimationFrames?.worstScripts?.[0];
  if (worst) console.log(`worst script in long animation frames: ${worst.sourceURL || '(inline)'} ${ms(worst.totalDuration)}`);
  const r = report.resources;
  if (r) {
    const types = Object.entries(r.byType).filter(([, t]) => t.requests).map(([k, t]) => `${k} ${t.requests}`).join(', ');
    console.log(`resources: ${r.total.requests} requests (${types}), ${kb(r.total.transferSize)} transferred, ${r.total.cacheHits} from cache` +
      (r.renderBlockingStatus === 'available' ? `, ${r.total.renderBlocking} render-blocking` : ''));
    for (const s of r.serverTiming ?? []) {
      console.log(`server timing (${s.source}) ${s.url}: ${s.metrics.map((m) => `${m.name} ${m.duration} ms${m.description ? ` (${m.description})` : ''}`).join(', ')}`);
    }
  }
  if (report.unsupportedEntryTypes.length) {
    console.log(`unsupported in this browser: ${report.unsupportedEntryTypes.join(', ')}`);
  }
  printRecommendations(report.recommendations ?? []);
}

/** How many recommendations the audit prints (the report holds them all, ranked). */
const TOP_RECOMMENDATIONS = 5;

function saving(s) {
  const parts = [];
  if (s.ms) parts.push(`${ms(s.ms)}`);
  if (s.bytes) parts.push(kb(s.bytes));
  return parts.length ? `saves ~${parts.join(' + ')}` : 'no saving estimated';
}

function evidence(e) {
  if (!e) return '';
  const facts = [e.url, e.ms !== undefined ? ms(e.ms) : null, e.bytes !== undefined ? kb(e.bytes) : null, e.detail].filter(Boolean);
  return facts.length ? `${e.label}: ${facts.join(', ')}` : e.label;
}

function printRecommendations(findings) {
  if (!findings.length) {
    console.log('\nrecommendations: none found');
    return;
  }
  const shown = findings.slice(0, TOP_RECOMMENDATIONS);
  console.log(`\ntop recommendations (${shown.length} of ${findings.length}, largest saving first):`);
  shown.forEach((f, i) => {
    console.log(`${String(i + 1).padStart(2)}. ${f.id} [${f.severity}] ${f.title}; ${saving(f.saving)}`);
    console.log(`    ${evidence(f.evidence[0])}`);
  });
  const rest = findings.slice(TOP_RECOMMENDATIONS).map((f) => f.id);
  if (rest.length) console.log(`    also: ${rest.join(', ')}`);
}

main().catch((error) => fail(error.message));
