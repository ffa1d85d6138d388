// The audit (scripts/audit, the README's main job): with no URL it serves the bundled demo site
// (tests/sites/demo) and audits it; with URLs it audits each. Every page is measured in a real
// browser with the PageVitals extension loaded (Chromium by default, or Firefox), one browser
// for the whole batch, `--runs` times; each run's metrics become final by leaving the page, as
// when a user leaves. Several runs give the median, p75 and spread of each metric.
//
// Exit status: 0 measured (and the budget, if one was given, passed; warnings pass), 1 a budget
// failed, 2 bad input or a browser or navigation error (one line on stderr says why). Results of
// the URLs already audited are still written when a later one fails.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { launchers, ROOT, waitForReport } from './browsers.mjs';
import { serveTwoOrigins } from './server.mjs';
import { loadBudget } from './check.mjs';
import { compareInputs, comparisonJunit, comparisonLines, comparisonMarkdown, pagesOf, parseAlpha } from './compare.mjs';
import { InputError, METRIC_ORDER, UsageError, medianRun, pageResult, parseShard, resultFile, runVerb, shardOf } from './result.mjs';
import { describeMetric, describePage, formatMetric, junitXml, markdownSummary, recommendationLines } from './audit-format.mjs';

export const USAGE = `usage: pagevitals audit [options] [URL ...]
With no URL, serves and audits the bundled demo site (tests/sites/demo).
  --browser chromium|firefox  browser to measure in (default chromium)
  --runs N                    runs per URL (default 1, or 20 with --baseline or --ab); several
                              give median, p75 and spread
  --cache cold|warm           cold (default): every run is a first visit, from an empty HTTP
                              cache with no cookies, service workers or storage; warm: repeat
                              views, after one uncounted priming load of the URL
  --budget FILE               Lighthouse budget.json or PageVitals budget to check (exit 1 on failure);
                              'default' for the built-in one (every Core Web Vital good)
  --interactions FILE         ES module whose default export async (page, {url, run}) drives
                              each page after load (clicks and keys for INP); run 0 is
                              the priming load of --cache warm
  --shard I/N                 audit only shard I of N of the URLs (every N-th, from the I-th):
                              the same slice on every machine; join with pagevitals merge
  --baseline FILE             compare with an earlier result file (pagevitals compare): verdicts
                              per URL and metric; exit 1 on a regression
  --ab                        A/B: the two URLs given are two builds of a page; their runs
                              alternate in one browser and B is compared with A
  --alpha A                   significance level of the comparison (default 0.05)
  --warn-only                 print regressions but do not exit 1 for them
  --json FILE                 write the result file (schema pagevitals-result)
  --junit FILE                write JUnit XML (a test case per budget item and per page)
  --markdown FILE             write a Markdown summary (e.g. $GITHUB_STEP_SUMMARY)
  --timeout MS                navigation and measurement timeout per page (default 30000)
  --settle MS                 extra time on each page after load and idle, before leaving it
                              (default 0), for late shifts and paints
Exit status: 0 measured (budget passed; warnings pass), 1 a budget failed or a regression,
2 bad input or a browser or navigation error.`;

/** Runs per URL of an audit with --baseline or --ab when --runs is not given. */
export const COMPARE_RUNS = 20;

/** The browsing states a run can start from (the report's `run.cache`). */
const CACHE_STATES = ['cold', 'warm'];

function parse(argv) {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        browser: { type: 'string', default: 'chromium' },
        runs: { type: 'string' },
        cache: { type: 'string', default: 'cold' },
        budget: { type: 'string' },
        interactions: { type: 'string' },
        json: { type: 'string' },
        junit: { type: 'string' },
        markdown: { type: 'string' },
        timeout: { type: 'string', default: '30000' },
        settle: { type: 'string', default: '0' },
        shard: { type: 'string' },
        baseline: { type: 'string' },
        ab: { type: 'boolean' },
        alpha: { type: 'string' },
        'warn-only': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const o = args.values;
  if (o.help) return { help: true };
  if (!launchers[o.browser]) throw new UsageError(`unknown browser '${o.browser}' (chromium or firefox)`);
  // A comparison needs several runs a side: 20 unless asked otherwise (docs/compare.md).
  const runs = Number(o.runs ?? (o.baseline || o.ab ? COMPARE_RUNS : 1));
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new UsageError(`--runs must be a whole number from 1 to 100, not '${o.runs}'`);
  if (!CACHE_STATES.includes(o.cache)) throw new UsageError(`--cache must be cold or warm, not '${o.cache}'`);
  const timeoutMs = Number(o.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 1000) throw new UsageError(`--timeout must be at least 1000 ms, not '${o.timeout}'`);
  for (const url of args.positionals) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`not a URL: ${url}`);
    }
    if (!['http:', 'https:'].includes(parsed.protocol)) throw new UsageError(`not an http(s) URL: ${url}`);
  }
  const settleMs = Number(o.settle);
  if (!Number.isFinite(settleMs) || settleMs < 0 || settleMs > 60_000) throw new UsageError(`--settle must be 0 to 60000 ms, not '${o.settle}'`);
  const shard = o.shard === undefined ? null : parseShard(o.shard);
  if (o.ab && args.positionals.length !== 2) throw new UsageError('--ab needs two URLs: A (the baseline) and B');
  if (o.ab && (o.baseline || shard)) throw new UsageError('--ab compares its two URLs with each other: no --baseline or --shard with it');
  const alpha = parseAlpha(o.alpha);
  return { ...o, runs, timeoutMs, settleMs, shard, alpha, urls: args.positionals };
}

async function loadInteractions(option) {
  if (option === undefined) return null;
  try {
    const module = await import(pathToFileURL(resolve(option)).href);
    if (typeof module.default !== 'function') throw new Error('its default export is not a function');
    return module.default;
  } catch (error) {
    throw new InputError(`cannot load interactions ${option}: ${error.message}`);
  }
}

/** How long the network must be idle (no request in flight) before a page counts as loaded. */
const NETWORK_QUIET_MS = 500;

/**
 * Resolves once no request of `page` has been in flight for `quietMs` (late images, lazy
 * content), or after `maxMs`. Playwright and puppeteer pages share these event names.
 */
function trackNetwork(page) {
  const inFlight = new Set();
  let lastChange = Date.now();
  const settle = (request) => {
    inFlight.delete(request);
    lastChange = Date.now();
  };
  page.on('request', (request) => {
    inFlight.add(request);
    lastChange = Date.now();
  });
  page.on('requestfinished', settle);
  page.on('requestfailed', settle);
  return async (quietMs, maxMs) => {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline && (inFlight.size > 0 || Date.now() - lastChange < quietMs)) {
      await new Promise((r) => setTimeout(r, 50));
    }
  };
}

/**
 * One run of `url` in `state` (from `session.isolate()`): open, wait for the agent, interact,
 * let the page settle, leave, and read the final report.
 */
/**
 * With PAGEVITALS_TRACE=1, `mark(step)` prints one line per run on stderr when `done()` is
 * called: how long each step took, ms (what docs/benchmarks.md's breakdowns are made of).
 */
function tracer(url) {
  if (!process.env.PAGEVITALS_TRACE) return { mark() {}, done() {} };
  let last = performance.now();
  const steps = [];
  return {
    mark(step) {
      const now = performance.now();
      steps.push(`${step} ${Math.round(now - last)}`);
      last = now;
    },
    done() {
      console.error(`trace ${url}: ${steps.join(', ')} ms`);
    },
  };
}

async function measure(session, state, url, { interactions, run, timeoutMs, settleMs }) {
  const trace = tracer(url);
  let quiet = null;
  const page = await state
    .open(url, { timeoutMs, beforeLoad: (p) => (quiet = trackNetwork(p)) })
    .catch((error) => {
      throw new Error(`cannot load ${url}: ${error.message.split('\n')[0]}`);
    });
  try {
    trace.mark('open and load');
    const origin = await page.evaluate(() => performance.timeOrigin);
    const mine = (_, s) => s.log.page.timeOrigin === origin;
    if (interactions) {
      // The agent listens before the script clicks: an interaction shorter than the browser's
      // buffered threshold (104 ms) would otherwise be missed.
      await waitForReport(session, url, (r, s) => mine(r, s) && r.metrics.TTFB, { timeoutMs }).catch(() => {
        throw new Error(`no report from the extension for ${url} within ${timeoutMs} ms`);
      });
      trace.mark('first report');
      await interactions(page, { url, run });
    }
    await quiet?.(NETWORK_QUIET_MS, timeoutMs);
    trace.mark('network quiet');
    // Let the page settle (the network quiet, then the main thread idle, at most a second,
    // plus --settle), then leave:
    // hiding the page makes LCP, CLS and INP final, as they are when a user leaves. Shifts
    // and paints later than that are not seen: give --settle, or wait in --interactions.
    await page.evaluate(
      (extra) =>
        new Promise((r) => requestIdleCallback(() => setTimeout(r, extra), { timeout: 1000 })),
      settleMs,
    );
    trace.mark('idle');
    await page.goto('about:blank').catch(() => {});
    trace.mark('leave');
    const { report } = await waitForReport(
      session,
      url,
      // The view has its last batch (the one with `pagehide`): its metrics are final.
      (r, s) => mine(r, s) && s.log.records.some((x) => x.lifecycle === 'pagehide'),
      { timeoutMs, intervalMs: 25 },
    ).catch((error) => {
      throw new Error(`no final report from the extension for ${url} within ${timeoutMs} ms (${error.message.split('; latest')[0]})`);
    });
    trace.mark('final report');
    return report;
  } finally {
    await page.close().catch(() => {});
    trace.mark('close');
    trace.done();
  }
}

function printPage(result, runsWanted) {
  const out = [];
  out.push(`\n${result.url}  (${result.runs}/${runsWanted} ${result.cache} run${runsWanted > 1 ? 's' : ''})`);
  if (result.error) out.push(`ERROR: ${result.error}`);
  if (result.runs) {
    const multi = result.runs > 1;
    out.push(`${'metric'.padEnd(7)}${(multi ? 'median' : 'value').padStart(9)}${multi ? `${'p75'.padStart(9)}  ${'spread'.padEnd(19)}` : '  '}${'rating'.padEnd(19)}${multi ? 'breakdown (median run)' : 'breakdown'}`);
    const median = medianRun(result.reports);
    for (const name of METRIC_ORDER) {
      const s = result.summary[name];
      if (!s) {
        const why = name === 'INP' ? 'no interaction on this page view' : result.unsupportedEntryTypes.includes(name === 'CLS' ? 'layout-shift' : 'largest-contentful-paint') ? 'unsupported in this browser' : 'not measured';
        out.push(`${name.padEnd(7)}${'-'.padStart(9)}  ${''.padEnd(multi ? 30 : 0)}${why}`);
        continue;
      }
      const rating = median.metrics[name]?.rating ?? '';
      const spread = multi ? `${formatMetric(name, s.p75).padStart(9)}  ${`${formatMetric(name, s.min)} to ${formatMetric(name, s.max)}`.padEnd(19)}` : '  ';
      const detail = median.metrics[name] ? describeMetric(name, median.metrics[name].attribution) : '';
      out.push(`${name.padEnd(7)}${formatMetric(name, s.median).padStart(9)}${spread}${rating.padEnd(19)}${detail}`);
    }
    out.push('', ...describePage(median));
    if (result.verdict) out.push(`Core Web Vitals assessment: ${result.verdict.assessment}`);
    if (result.evaluation) {
      const e = result.evaluation;
      out.push(`budget ${e.file} (${e.aggregate} of ${result.runs} run${result.runs > 1 ? 's' : ''}): ${e.status.toUpperCase()}`);
      for (const group of e.groups) {
        for (const r of group.results) {
          const measured = r.measured === undefined || r.measured === null ? 'not measured' : +r.measured.toFixed(3);
          out.push(`  ${r.status.padEnd(13)} ${r.name}${r.subject ? ` ${r.subject}` : ''}: ${measured} / ${r.limit}${r.note ? ` (${r.note})` : ''}`);
        }
      }
    }
    out.push('', ...recommendationLines(result.recommendations));
  }
  console.log(out.join('\n'));
}

function writeOutputs(options, results, meta) {
  const written = [];
  const file = resultFile('pagevitals audit', results, meta);
  if (options.json) {
    writeFileSync(options.json, JSON.stringify(file, null, 2) + '\n');
    written.push(options.json);
  }
  // With --baseline or --ab, the comparison's test cases and table join the page's.
  const comparison = meta.comparison;
  if (options.junit) {
    let xml = junitXml(results, file);
    if (comparison) xml = xml.replace(/\n<\/testsuites>\n$/, `\n${comparisonJunit(comparison).split('\n').slice(2, -2).join('\n')}\n</testsuites>\n`);
    writeFileSync(options.junit, xml);
    written.push(options.junit);
  }
  if (options.markdown) {
    writeFileSync(options.markdown, (comparison ? comparisonMarkdown(comparison) + '\n' : '') + markdownSummary(results, file));
    written.push(options.markdown);
  }
  if (written.length) console.error(`wrote ${written.join(', ')}`);
}

/** `pagevitals audit`: returns the exit status; throws on bad input or a browser error. */
export async function run(argv) {
  const options = parse(argv);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const budget = loadBudget(options.budget);
  // Read before any browser starts: a bad baseline is bad input.
  const baseline = options.baseline === undefined ? null : pagesOf(options.baseline);
  let comparison = null;
  const interactions = await loadInteractions(options.interactions);
  let server = null;
  let listed = options.urls;
  if (listed.length === 0) {
    // Two loopback origins: the demo's reviews widget comes from the second (a third party).
    server = await serveTwoOrigins(join(ROOT, 'tests/sites/demo'));
    listed = [`${server.url}/index.html`];
  }
  const urls = options.shard ? shardOf(listed, options.shard) : listed;
  const results = [];
  const meta = {
    browser: options.browser,
    runsPerUrl: options.runs,
    cache: options.cache,
    budget: budget?.name ?? null,
    ...(options.shard && { urls: listed, shard: options.shard }),
  };
  let session;
  try {
    session = await launchers[options.browser]().catch((error) => {
      throw new Error(`cannot start ${options.browser}: ${error.message.split('\n')[0]}`);
    });
    meta.browserVersion = session.version;
    if (options.shard) console.error(`Shard ${options.shard.index}/${options.shard.total}: ${urls.length} of ${listed.length} URLs`);
    const what = options.cache === 'cold' ? 'from a cold cache' : 'as repeat views (warm cache, after a priming load)';
    console.error(`Auditing ${urls.length} URL${urls.length > 1 ? 's' : ''} in ${session.name} ${session.version} with the PageVitals extension, ${options.runs} run${options.runs > 1 ? 's' : ''} each ${what}`);
    // Each group's URLs are audited in alternation (an A/B run: A, B, B, A, ...), so that a
    // drift of the machine hits both alike; a plain audit's groups are single URLs.
    const groups = options.ab ? [urls] : urls.map((url) => [url]);
    let done = 0;
    for (const group of groups) {
      const outcome = await auditGroup(session, group, options, { interactions, position: () => (done += 1), total: urls.length });
      for (const [k, url] of group.entries()) {
        const result = pageResult(url, options.cache, outcome.reports[k], budget, outcome.errors[k], baseline?.pages.get(url) ?? []);
        results.push(result);
        printPage(result, options.runs);
      }
    }
    if ((baseline || options.ab) && !results.some((r) => r.error)) {
      const current = { cache: options.cache, pages: new Map(results.filter((r) => r.reports.length).map((r) => [r.url, r.reports])) };
      let base = baseline;
      if (options.ab) {
        // A is the baseline of B: compared as one page.
        const [a, b] = results;
        base = { cache: options.cache, pages: new Map([[b.url, a.reports]]) };
        current.pages = new Map([[b.url, b.reports]]);
        console.log(`\nA/B: A ${a.url} (baseline) -> B ${b.url}, runs alternated in one browser`);
      } else {
        console.log(`\nagainst the baseline ${options.baseline}`);
      }
      comparison = compareInputs(base, current, { alpha: options.alpha });
      console.log(comparisonLines(comparison).join('\n'));
      meta.comparison = { baseline: options.ab ? results[0].url : options.baseline, ...comparison };
    }
  } catch (error) {
    results.push({ url: null, error: error.message, runs: 0, summary: {}, reports: [], recommendations: [], evaluation: null });
    throw error;
  } finally {
    writeOutputs(options, results, meta);
    await session?.close().catch(() => {});
    await server?.close();
  }
  const failed = results.find((r) => r.error);
  if (failed) throw new Error(failed.error);
  const regressed = Boolean(comparison?.counts.regressed) && !options['warn-only'];
  return results.some((r) => r.evaluation?.status === 'fail') || regressed ? 1 : 0;
}

/**
 * Runs every URL of `group` `options.runs` times, in alternation (A, B, B, A, ...: each run
 * of one is next to a run of the other, and neither always goes first), each from its own
 * browsing state: a fresh one per run when cold, one primed by an uncounted load when warm.
 * An error stops the group; the URLs' reports so far are kept.
 */
async function auditGroup(session, group, options, { interactions, position, total }) {
  const reports = group.map(() => []);
  const errors = group.map(() => null);
  const cold = options.cache === 'cold';
  const states = group.map(() => null);
  const numbers = new Map(group.map((url) => [url, position()]));
  let current = 0;
  try {
    if (!cold) {
      for (const [k, url] of group.entries()) {
        current = k;
        states[k] = await session.isolate();
        await measure(session, states[k], url, { interactions, run: 0, timeoutMs: options.timeoutMs, settleMs: options.settleMs });
      }
    }
    for (let run = 1; run <= options.runs; run += 1) {
      const order = [...group.keys()];
      if (run % 2 === 0) order.reverse();
      for (const k of order) {
        current = k;
        const url = group[k];
        const started = Date.now();
        if (cold) states[k] = await session.isolate();
        const report = await measure(session, states[k], url, { interactions, run, timeoutMs: options.timeoutMs, settleMs: options.settleMs });
        if (cold) {
          await states[k].close();
          states[k] = null;
        }
        report.run = { cache: options.cache, index: run };
        reports[k].push(report);
        const brief = ['LCP', 'CLS', 'INP'].filter((m) => report.metrics[m]).map((m) => `${m} ${formatMetric(m, report.metrics[m].value)}`).join(', ');
        console.error(`[${numbers.get(url)}/${total}] run ${run}/${options.runs} ${url}: ${brief || 'measured'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }
    }
  } catch (e) {
    errors[current] = e.message;
    console.error(`[${numbers.get(group[current])}/${total}] run ${reports[current].length + 1}/${options.runs} ${group[current]}: ERROR ${e.message}`);
  } finally {
    for (const state of states) await state?.close();
  }
  return { reports, errors };
}

// Run directly (the benchmarks and older scripts do): the same as `pagevitals audit`.
if (import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exit(await runVerb('audit', run, process.argv.slice(2)));
}
