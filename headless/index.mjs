// PageVitals for Playwright: field-style Core Web Vitals from real browser runs, and budget
// assertions, in CI. Two ways to measure:
//
// - inject mode (any Playwright browser, no extension): `attach(context)` adds the agent as an
//   init script, receives its batches through a binding, records response headers from
//   Playwright's response events (the same whitelist the extension keeps), and builds reports
//   with the same engine (pagevitals-core compiled to wasm) in Node.
// - extension mode (Chromium): `launchWithExtension()` starts a persistent context with the
//   built extension loaded; `extensionReport(context, url)` reads the report its background
//   built.
//
// Interactions for INP come from the test's own Playwright steps. Metrics become final when
// the page is hidden (web-vitals semantics): `finish(page)` leaves the page for about:blank
// and returns the final report. Requires `scripts/build` to have produced dist/.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { initSync, analyze, checkReportsAgainst, compareRuns as compareRunsJson, readReport as readReportJson } from '../dist/headless/pagevitals_engine.js';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');

/** The response headers kept (as the extension keeps them); no other header value is stored. */
export const KEPT_HEADERS = Object.freeze([
  'cache-control', 'expires', 'etag', 'last-modified', 'age', 'vary', 'content-encoding',
  'content-length', 'content-type', 'server-timing', 'timing-allow-origin',
]);

let engineReady = false;
function engine() {
  if (!engineReady) {
    initSync({ module: readFileSync(join(DIST, 'headless/pagevitals_engine_bg.wasm')) });
    engineReady = true;
  }
}

/**
 * Builds the report for an entry log (the `pagevitals-entry-log` JSON the agent writes).
 * Returns the report; throws an Error naming the record and field when the log is malformed.
 */
export function analyzeLog(log) {
  engine();
  const outcome = JSON.parse(analyze(typeof log === 'string' ? log : JSON.stringify(log)));
  if (outcome.error) {
    const { record, path, message } = outcome.error;
    throw new Error(`PageVitals: bad entry log${record === null ? '' : ` record ${record}`} at ${path}: ${message}`);
  }
  return outcome.report;
}

/**
 * The agent as an init script (its wasm2js form, one classic script). With `beacon`, the URL
 * it also posts the batches it sends as the page is left to (headless/agent-entry.js).
 */
export function agentScript({ beacon = null } = {}) {
  const file = join(DIST, 'headless/agent.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run scripts/build`);
  const script = readFileSync(file, 'utf8');
  return beacon ? script.replace('__PAGEVITALS_BEACON__', beacon) : script;
}

/** Largest beacon body taken; the browser sends at most 64 KB in flight anyway. */
const MAX_BEACON_BYTES = 1024 * 1024;

/** Documents remembered for their beacons (the latest), and batches per page for duplicates. */
const MAX_DOCUMENTS = 1_000;
const MAX_SEEN_BATCHES = 512;

/**
 * A loopback listener for the batches a page sends as it is left, which the binding loses
 * (headless/agent-entry.js): each POST is `{ doc, batches: [[seq, json], ...] }`. Its path is a
 * secret of this session, so no other page or program can feed it. Calls `take(doc, seq,
 * json)` for each batch, in order; closed with the context.
 */
async function beaconListener(take) {
  const secret = `/${randomBytes(16).toString('hex')}`;
  const server = createServer((request, response) => {
    const done = (status) => {
      response.writeHead(status, { 'access-control-allow-origin': '*' });
      response.end();
    };
    if (request.method !== 'POST' || request.url !== secret) return done(404);
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BEACON_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BEACON_BYTES) return done(413);
      try {
        const { doc, batches } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (typeof doc !== 'string' || !Array.isArray(batches)) return done(400);
        for (const [seq, json] of batches.toSorted(([a], [b]) => a - b)) {
          if (Number.isInteger(seq) && typeof json === 'string') take(doc, seq, json);
        }
      } catch {
        return done(400);
      }
      return done(204);
    });
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  server.unref();
  return { url: `http://127.0.0.1:${server.address().port}${secret}`, close: () => server.close() };
}

/** Documents per page whose page view has not begun yet, as the extension keeps them. */
const MAX_PENDING_DOCUMENTS = 3;

/** A URL without its fragment: what a document's response and its `location.href` share. */
function withoutHash(url) {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

/** One page view's log, built from the agent's batches as the extension's background builds it. */
class View {
  constructor(batch, responses) {
    this.log = { ...batch, records: [...responses] };
  }

  add(batch) {
    this.log.page = batch.page;
    this.log.now = Math.max(this.log.now ?? 0, batch.now ?? 0);
    if (batch.interactionCount !== undefined) this.log.interactionCount = batch.interactionCount;
    if (batch.agentCost !== undefined) this.log.agentCost = batch.agentCost;
    this.log.records.push(...batch.records);
  }
}

/**
 * Measures every page of a Playwright BrowserContext without the extension. Call before the
 * pages navigate. Returns a session whose `report(page)` and `finish(page)` give reports.
 */
export async function attach(context) {
  // page -> { views: Map(navigationId -> View), current, starts: Map(navigationId -> ms),
  //           pending: [{ seq, url, responses }], claimed, seq }
  const pages = new WeakMap();
  const state = (page) => {
    let s = pages.get(page);
    if (!s) {
      s = { views: new Map(), current: null, starts: new Map(), pending: [], claimed: 0, seq: 0, seen: new Set() };
      pages.set(page, s);
    }
    return s;
  };
  /** doc -> page, for batches that arrive by beacon (the latest documents). */
  const documents = new Map();
  /** A batch from the binding or the beacon listener: the first copy counts. */
  const take = (page, doc, seq, json) => {
    const s = state(page);
    const key = `${doc}:${seq}`;
    if (s.seen.has(key)) return;
    s.seen.add(key);
    for (const old of s.seen) {
      if (s.seen.size <= MAX_SEEN_BATCHES) break;
      s.seen.delete(old);
    }
    receive(page, json);
  };
  const receive = (page, json) => {
    const batch = JSON.parse(json);
    const s = state(page);
    const id = batch.page?.navigationId;
    if (typeof id !== 'string' || !Array.isArray(batch.records)) return;
    let view = s.views.get(id);
    if (!view) {
      // A new page view: the responses of its document (by URL: a page left before its first
      // batch sends it as it leaves, after the next document's response), else the latest's.
      const url = withoutHash(batch.page.url ?? '');
      const stash = s.pending.find((p) => p.url === url) ?? s.pending.at(-1);
      if (stash) s.pending.splice(s.pending.indexOf(stash), 1);
      view = new View(batch, stash?.responses ?? []);
      s.views.set(id, view);
      // The current view is the latest to begin: a left page's late batch never displaces it.
      const start = (batch.page.timeOrigin ?? 0) + (batch.page.restoredAt ?? 0);
      s.starts.set(id, start);
      if (!s.current || start >= s.starts.get(s.current)) {
        s.current = id;
        if (stash) s.claimed = Math.max(s.claimed, stash.seq);
      }
    }
    view.add(batch);
  };
  const listener = await beaconListener((doc, seq, json) => {
    const page = documents.get(doc);
    if (page) take(page, doc, seq, json);
  });
  context.once('close', () => listener.close());
  await context.exposeBinding('__pagevitalsSink', ({ page }, doc, seq, json) => {
    if (!page || typeof doc !== 'string') return;
    if (!documents.has(doc)) {
      documents.set(doc, page);
      for (const old of documents.keys()) {
        if (documents.size <= MAX_DOCUMENTS) break;
        documents.delete(old);
      }
    }
    if (typeof json === 'string') take(page, doc, seq, json);
  });
  await context.addInitScript({ content: agentScript({ beacon: listener.url }) });
  context.on('response', (response) => {
    // A service worker's own requests (its script, its fetches) belong to no page.
    if (response.request().serviceWorker()) return;
    const frame = response.frame();
    const page = frame?.page();
    if (!page || frame !== page.mainFrame()) return;
    // Placed now, in event order; its headers are filled in when Playwright has them.
    const record = responseRecord(response);
    const s = state(page);
    // A document response starts a document whose page view has not begun; a subresource
    // belongs to the newest such document if it began after the current view's, else to the
    // current view.
    if (response.request().isNavigationRequest()) {
      s.seq += 1;
      s.pending.push({ seq: s.seq, url: withoutHash(response.url()), responses: [record] });
      s.pending.splice(0, Math.max(0, s.pending.length - MAX_PENDING_DOCUMENTS));
      return;
    }
    const newest = s.pending.at(-1);
    if (newest && newest.seq > s.claimed) newest.responses.push(record);
    else if (s.current) s.views.get(s.current)?.log.records.push(record);
  });

  const latest = (page) => {
    const s = pages.get(page);
    return s?.current ? s.views.get(s.current) : undefined;
  };
  return {
    /** The current page view's report so far, or null before the agent has reported. */
    async report(page) {
      await Promise.all(reading);
      const view = latest(page);
      return view ? analyzeLog(view.log) : null;
    },
    /** Every page view this page has had, oldest first: `[{ log, report }]`. */
    async views(page) {
      await Promise.all(reading);
      const s = pages.get(page);
      return s ? [...s.views.values()].map((v) => ({ log: v.log, report: analyzeLog(v.log) })) : [];
    },
    /**
     * Waits until the agent has reported a paint, leaves the page (for `leaveTo`, default
     * about:blank) so that LCP, CLS and INP are final, and returns the report of the page
     * view that was left.
     */
    async finish(page, { timeoutMs = 15_000, leaveTo = 'about:blank' } = {}) {
      await until(() => latest(page)?.log.records.some((r) => r.entryType === 'paint'), timeoutMs, 'no report from the agent');
      // A loaded page's TTFB needs its load in the log (web-vitals reports TTFB once loaded):
      // the batch that carries it may still be on its way.
      const loaded = await page.evaluate(() => document.readyState === 'complete').catch(() => false);
      if (loaded) {
        const hasLoad = (r) => r.lifecycle === 'pageshow' || (r.entryType === 'navigation' && r.loadEventStart > 0);
        await until(() => latest(page)?.log.records.some(hasLoad), timeoutMs, null);
      }
      const view = latest(page);
      await page.goto(leaveTo);
      // The agent flushes on pagehide; its batch comes by beacon a moment later.
      await until(() => view.log.records.some((r) => r.lifecycle === 'pagehide'), 2_000, null);
      await Promise.all(reading);
      return analyzeLog(view.log);
    },
  };
}

/** Playwright's resource types in the vocabulary of webRequest, which the log's response records use. */
const WEBREQUEST_TYPE = {
  document: 'sub_frame', stylesheet: 'stylesheet', image: 'image', media: 'media', font: 'font',
  script: 'script', xhr: 'xmlhttprequest', fetch: 'xmlhttprequest', websocket: 'websocket',
  manifest: 'web_manifest', eventsource: 'other', texttrack: 'other', other: 'other',
};

/** Headers still being read, so that a report waits for them. */
const reading = new Set();

function responseRecord(response) {
  const headers = {};
  const done = response
    .allHeaders()
    .then((all) => {
      for (const name of KEPT_HEADERS) if (all[name] !== undefined) headers[name] = all[name];
    })
    // The page went away: the record stays, without headers.
    .catch(() => {})
    .finally(() => reading.delete(done));
  reading.add(done);
  const request = response.request();
  return {
    response: {
      url: response.url(),
      status: response.status(),
      // Playwright does not say whether a response came from the HTTP cache; the core also
      // reads cache hits from the resource entries (transferSize, deliveryType).
      fromCache: false,
      type: request.isNavigationRequest() ? 'main_frame' : (WEBREQUEST_TYPE[request.resourceType()] ?? 'other'),
      headers,
    },
  };
}

async function until(predicate, timeoutMs, failure) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (predicate()) return true;
    if (Date.now() > deadline) {
      if (failure) throw new Error(`PageVitals: ${failure} within ${timeoutMs} ms`);
      return false;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Launches Chromium (Playwright) with the PageVitals extension loaded, in a persistent
 * context (extensions need one). `executablePath` defaults to Playwright's own Chromium.
 */
export async function launchWithExtension({ chromium, executablePath, headless = true, args = [] } = {}) {
  const dir = join(DIST, 'chromium');
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`${dir} is missing: run scripts/build`);
  const pw = chromium ?? (await import('playwright-core')).chromium;
  const profile = mkdtempSync(join(tmpdir(), 'pagevitals-'));
  return pw.launchPersistentContext(profile, {
    executablePath,
    headless,
    args: [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`, ...args],
    // Users have the back/forward cache on; Playwright turns it off by default.
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
  });
}

/**
 * Makes the next load in `page`'s browser a first visit (Chromium, over the DevTools
 * protocol): empties the HTTP cache and cookies, and every storage (service workers, cache
 * storage, local storage, IndexedDB) of `origins` (default: the page's own). The extension's
 * storage is never touched. Call it on a blank page before each run of a page measured
 * several times in one persistent context (`launchWithExtension`), so that the runs are
 * alike; in inject mode a new browser context per run does the same.
 */
export async function clearBrowsingState(page, origins = [new URL(page.url()).origin]) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.clearBrowserCookies');
    for (const origin of origins) {
      if (/^https?:/.test(origin)) await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
    }
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** The report the extension's background built for the latest page view of `url`. */
export async function extensionReport(context, url) {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const all = await worker.evaluate(() => chrome.storage.session.get(null));
  const views = Object.entries(all)
    .filter(([key, v]) => key.startsWith('view:') && v.log?.page?.url === url && v.report)
    .map(([, v]) => v);
  return views.at(-1)?.report ?? null;
}

/**
 * Checks reports (one per run) against a budget: the text of a Lighthouse `budget.json` or a
 * PageVitals budget, or nothing for the built-in one (every Core Web Vital good). Returns the
 * evaluation (`status` pass, warn or fail, and a result per budget item); throws on a
 * malformed budget with its file, line:column, pointer and a suggestion. `baseline`: the
 * runs the budget's `regressions` items are judged against (without: not measurable).
 */
export function checkBudget(reports, budgetText = '', budgetName = 'budget.json', { baseline = [] } = {}) {
  engine();
  const runs = Array.isArray(reports) ? reports : [reports];
  const out = JSON.parse(checkReportsAgainst(budgetName, budgetText, JSON.stringify(runs), JSON.stringify(baseline)));
  if (out.error) throw new Error(`PageVitals: ${out.error.message}`);
  return out.evaluation;
}

/** URL -> reports, from a list of reports or a result file (`{results: [{url, reports}]}`). */
function pagesOfRuns(runs) {
  const pages = new Map();
  const add = (url, reports) => pages.set(url, [...(pages.get(url) ?? []), ...reports]);
  if (Array.isArray(runs)) for (const r of runs) add(r.page.url, [r]);
  else if (runs?.results) for (const r of runs.results) if (r.url && r.reports?.length) add(r.url, r.reports);
  else if (runs?.page) add(runs.page.url, [runs]);
  return pages;
}

/**
 * Did it get slower? Compares `baseline` runs against `current` runs (each a list of reports,
 * a result file's contents, or `[{url, base, current}]` pages as the first argument alone),
 * URL by URL and metric by metric: verdicts `regressed`, `improved`, `unchanged`,
 * `inconclusive` (docs/compare.md). `options`: `{alpha, minCliffsDelta}`. Throws on runs that
 * cannot be compared (no URL in common, too few runs for any verdict).
 */
export function compareRuns(baseline, current, options = {}) {
  engine();
  let pages;
  if (current === undefined || (Array.isArray(baseline) && baseline[0]?.base)) {
    pages = baseline;
  } else {
    const base = pagesOfRuns(baseline);
    pages = [...pagesOfRuns(current)].filter(([url]) => base.has(url)).map(([url, reports]) => ({ url, base: base.get(url), current: reports }));
    options = options ?? {};
  }
  const out = JSON.parse(compareRunsJson(JSON.stringify({ pages, options: current === undefined ? {} : options })));
  if (out.error) throw new Error(`PageVitals: ${out.error.message}`);
  return out.comparison;
}

/** One line per regression, for a failure message. */
export function describeRegressions(comparison) {
  const unit = (c, v) => (c.unit === 'bytes' ? `${(v / 1024).toFixed(1)} KB` : c.unit === 'unitless' ? v.toFixed(3) : `${Math.round(v)} ms`);
  return comparison.comparisons
    .filter((c) => c.verdict === 'regressed')
    .map((c) => `${c.metric} of ${c.url} regressed: median ${unit(c, c.base.median)} -> ${unit(c, c.current.median)} (${c.medianChange >= 0 ? '+' : '-'}${unit(c, Math.abs(c.medianChange))}, 95 % interval ${unit(c, c.medianChangeInterval[0])} to ${unit(c, c.medianChangeInterval[1])}), p ${c.adjustedPValue < 0.001 ? '< 0.001' : c.adjustedPValue.toFixed(3)} after Holm, Cliff's delta ${c.cliffsDelta.toFixed(2)}`)
    .join('\n');
}

/** The name under which `attachReport` attaches a report, and `pagevitals/reporter` finds it. */
export const REPORT_ATTACHMENT = 'pagevitals-report';

/**
 * Attaches `report` to the running Playwright test (`testInfo`), for `pagevitals/reporter` to
 * collect into one result file; it also shows in Playwright's HTML report.
 */
export async function attachReport(testInfo, report) {
  await testInfo.attach(REPORT_ATTACHMENT, { body: JSON.stringify(report), contentType: 'application/json' });
}

/**
 * Reads the text of a saved report or entry log (analysed into a report): `{report}`, or
 * `{error: {message}}` saying what the text is not.
 */
export function readReport(text) {
  engine();
  return JSON.parse(readReportJson(text));
}

const UNIT_SUFFIX = { ms: ' ms', kiB: ' KiB', count: '', unitless: '', score: '', percent: ' %' };
const number = (value, unit) => {
  if (value === null || value === undefined) return 'not measured';
  const digits = unit === 'score' || unit === 'unitless' ? 3 : unit === 'kiB' ? 1 : 0;
  return `${+value.toFixed(digits)}${UNIT_SUFFIX[unit] ?? ''}`;
};

/** One line per budget item that did not pass, for a failure message. */
export function describeEvaluation(evaluation) {
  const lines = [];
  for (const group of evaluation.groups) {
    for (const r of group.results.filter((r) => r.status !== 'pass')) {
      const where = group.path ? ` (budget ${group.path})` : '';
      lines.push(
        `${r.status.toUpperCase()} ${r.name}${r.subject ? ` ${r.subject}` : ''}: ${number(r.measured, r.unit)} ` +
          `against ${number(r.limit, r.unit)}${r.over ? `, over by ${number(r.over, r.unit)}` : ''}${where}` +
          `${r.note ? ` - ${r.note}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}

/** Throws a readable Error when the reports fail the budget (warnings pass). */
export function assertBudget(reports, budgetText = '', budgetName = 'budget.json') {
  const evaluation = checkBudget(reports, budgetText, budgetName);
  if (evaluation.status === 'fail') {
    throw new Error(`PageVitals budget ${evaluation.file} failed:\n${describeEvaluation(evaluation)}`);
  }
  return evaluation;
}

/**
 * Matchers for @playwright/test: `expect.extend(pagevitalsMatchers)`, then
 * `expect(report).toMeetBudget(budgetText)` (or an array of reports, one per run).
 */
export const pagevitalsMatchers = {
  /** `expect(currentRuns).toNotRegressFrom(baselineRuns, options)`. */
  toNotRegressFrom(received, baseline, options = {}) {
    const comparison = compareRuns(baseline, received, options);
    const regressions = describeRegressions(comparison);
    return {
      pass: !regressions,
      message: () =>
        regressions
          ? `PageVitals: the runs regressed from the baseline:\n${regressions}`
          : `PageVitals: no regression from the baseline (${comparison.counts.unchanged ?? 0} unchanged, ${comparison.counts.inconclusive ?? 0} inconclusive)`,
    };
  },
  toMeetBudget(received, budgetText = '', budgetName = 'budget.json') {
    let evaluation;
    try {
      evaluation = checkBudget(received, budgetText, budgetName);
    } catch (error) {
      return { pass: false, message: () => error.message };
    }
    const pass = evaluation.status !== 'fail';
    return {
      pass,
      message: () =>
        pass
          ? `expected the reports to fail budget ${evaluation.file}, but they met it`
          : `PageVitals budget ${evaluation.file} failed:\n${describeEvaluation(evaluation)}`,
      name: 'toMeetBudget',
      expected: budgetText,
      actual: evaluation,
    };
  },
};
